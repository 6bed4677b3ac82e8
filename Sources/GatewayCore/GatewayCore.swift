// The gateway's pure-Swift core: submission models, configuration, validation, routing policies and
// translation to a `SparkApplication`. It performs no I/O, so every policy tests in isolation.
//
// The path of a submission through Core:
//
// ```swift
// let loaded = try GatewayConfiguration.load(from: tree)           // once, at startup
// let planner = SubmissionPlanner(configuration: loaded.configuration, queueTokenVerifier: verifier)
//
// let request = try SubmitApplicationRequest.decode(json: body)    // 400 on bad input
// let plan = try planner.plan(request, user: user, snapshot: snapshot, using: &random)
// for cluster in plan.candidates.prefix(maxAttempts) {             // ranked, for failover
//     let id = plan.submissionId(on: cluster, using: &random)
//     let body = plan.application(on: cluster, submissionId: id).jsonData()
//     // create it; on a retryable failure try the next candidate
// }
// ```
//
// Other entry points: ``SubmissionID/cluster(of:in:)`` (resolve an id back to its cluster),
// ``GetSubmissionStatusResponse``, ``SubmissionSummary`` and the other response bodies,
// ``ApplicationCost``, ``Quantity`` and ``MemorySize``, ``GatewayLabels``, ``SecretReference`` with
// ``SecretResolver``, and the ``RoutingPolicy`` protocol for custom routing.
// (No declaration here: a type named like the module would shadow it, so `GatewayCore.X` could
// not be written in files that import another module with an `X`.)
