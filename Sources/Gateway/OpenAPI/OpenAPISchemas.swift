import JSON

/// The `components.schemas` of the OpenAPI document: the request and response models of GatewayCore,
/// field for field (OpenAPITests compares them with the Swift types' coding keys).
///
/// Fields BPG's own spec leaves out (`@Hidden` in its Java models) are listed here, because the gateway
/// accepts them, and carry `x-bpg-hidden: true`.
enum OpenAPISchemas {
    // MARK: Building blocks

    static func ref(_ name: String) -> JSONValue { ["$ref": .string("#/components/schemas/\(name)")] }
    static func string(_ description: String? = nil) -> JSONValue { typed("string", description) }
    static func int32(_ description: String? = nil) -> JSONValue { typed("integer", description).with("format", "int32") }
    static func int64(_ description: String? = nil) -> JSONValue { typed("integer", description).with("format", "int64") }
    static func double(_ description: String? = nil) -> JSONValue { typed("number", description).with("format", "double") }
    static func bool(_ description: String? = nil) -> JSONValue { typed("boolean", description) }
    static func array(_ items: JSONValue, _ description: String? = nil) -> JSONValue {
        typed("array", description).with("items", items)
    }
    /// A string-to-string map (numbers and booleans in the input are kept as strings).
    static func stringMap(_ description: String? = nil) -> JSONValue {
        typed("object", description).with("additionalProperties", ["type": "string"])
    }

    static func hidden(_ schema: JSONValue) -> JSONValue { schema.with("x-bpg-hidden", true) }

    static func object(
        _ properties: [String: JSONValue], required: [String] = [], description: String? = nil,
        closed: Bool = false
    ) -> JSONValue {
        var schema = typed("object", description).with("properties", .object(JSONObject(properties)))
        if !required.isEmpty { schema = schema.with("required", .array(required.sorted().map(JSONValue.string))) }
        if closed { schema = schema.with("additionalProperties", false) }
        return schema
    }

    private static func typed(_ type: String, _ description: String?) -> JSONValue {
        var schema: JSONValue = ["type": .string(type)]
        if let description { schema = schema.with("description", .string(description)) }
        return schema
    }

    // MARK: Request

    static let submitApplicationRequest = object(
        [
            "submissionIdSuffix": string("Appended to the generated submission id as `-<suffix>`."),
            "applicationName": string("Becomes the `applicationName` label (normalised) and `spark.app.name`."),
            "type": string("`Java`, `Scala`, `Python` or `R`; `Java` when `mainClass` is set, else `Python`."),
            "mode": hidden(string("Accepted and ignored: applications always run in `cluster` mode.")),
            "image": string("A custom image instead of the configured one for `sparkVersion`."),
            "spotInstance": bool("Executors go to the queue's spot node-label values."),
            "sparkVersion": string("Selects eligible clusters and the image (exact, case-insensitive)."),
            "mainClass": string(),
            "mainApplicationFile": string(),
            "arguments": array(string()),
            "sparkConf": stringMap(
                "Spark configuration, merged with the cluster's. `bpg.maxRunningMillis` sets the maximum running time."),
            "volumes": hidden(array(ref("Volume"))),
            "driver": ref("DriverSpec"),
            "executor": ref("ExecutorSpec"),
            "driverOverheadFactor": hidden(double("Accepted and ignored, as in BPG.")),
            "executorOverheadFactor": hidden(double("Accepted and ignored, as in BPG.")),
            "overheadFactor": hidden(double("Accepted and ignored, as in BPG.")),
            "deps": ref("Dependencies"),
            "pythonVersion": string(),
            "imagePullPolicy": hidden(string()),
            "restartPolicy": hidden(ref("RestartPolicy")),
            "clusterId": hidden(string("Pins the submission to one configured cluster.")),
            "queue": string("The YuniKorn queue; defaults to the user's mapped queue or `poc`."),
            "queueToken": hidden(string("A JWT for a secure queue; never stored or logged.")),
        ],
        description: "A Spark job in BPG's request format, as JSON or YAML. Unknown top-level fields are rejected (400); unknown nested fields are ignored.",
        closed: true)

    static let podProperties: [String: JSONValue] = [
        "cores": int32(),
        "coreRequest": string("A Kubernetes quantity, for example `500m`."),
        "coreLimit": string("A whole number of cores."),
        "memory": string("With a unit, for example `2g` or `512m`."),
        "memoryOverhead": string(),
        "image": string(),
        "env": array(ref("EnvVar")),
        "labels": stringMap(),
        "annotations": stringMap(),
        "terminationGracePeriodSeconds": hidden(int64()),
        "serviceAccount": hidden(string()),
        "volumeMounts": hidden(array(ref("VolumeMount"))),
        "securityContext": hidden(ref("SecurityContext")),
        "affinity": hidden(ref("Affinity")),
        "dnsConfig": hidden(ref("PodDNSConfig")),
        "javaOptions": hidden(string()),
    ]

    static let driverSpec = object(
        podProperties.merging(["podName": hidden(string()), "kubernetesMaster": hidden(string())]) { $1 },
        description: "The driver pod. Defaults: 1 core, `1g`.")

    static let executorSpec = object(
        podProperties.merging(["instances": int32(), "deleteOnTermination": hidden(bool())]) { $1 },
        description: "The executor pods. Defaults: 1 instance, 1 core, `1g`.")

    static let nodeSelectorTerm = object([
        "matchExpressions": array(
            object(
                ["key": string(), "operator": string(), "values": array(string())], required: ["key", "operator"]))
    ])

    // MARK: Responses

    static let errorResponse = object(
        ["code": int32("The HTTP status."), "message": string()], required: ["code", "message"],
        description: "Every error answer.")

    static let statusProperties: [String: JSONValue] = [
        "creationTime": int64("Epoch milliseconds."),
        "sparkApplicationId": string(),
        "executionAttempts": int32(),
        "terminationTime": int64("Epoch milliseconds."),
        "duration": int64("Milliseconds; running time so far while SUBMITTED or RUNNING."),
        "applicationState": string(
            "The operator's state as-is: SUBMITTED, RUNNING, COMPLETED, FAILED, SUBMISSION_FAILED, PENDING_RERUN, INVALIDATING, SUCCEEDING, FAILING, SUSPENDING, SUSPENDED, RESUMING, UNKNOWN, or a newer one."),
        "applicationErrorMessage": string(),
        "sparkUIUrl": string(),
    ]

    static let submissionSummary = object(
        statusProperties.merging([
            "submissionId": string(),
            "user": string(),
            "queue": string(),
            "dagName": string(),
            "driverCores": int32(),
            "driverMemoryGB": int64(),
            "executorInstances": int32(),
            "executorCores": int32(),
            "executorMemoryGB": int64(),
            "totalCores": int32(),
            "totalMemoryGB": int64(),
            "sparkVersion": string(),
            "applicationName": string(),
            "applicationArguments": array(string()),
        ]) { $1 },
        required: ["duration", "applicationState", "queue", "dagName"])

    static let sparkApplicationSpec = object(
        [
            "type": string(), "sparkVersion": string(), "mode": string(), "proxyUser": string(), "image": string(),
            "imagePullPolicy": string(), "mainClass": string(), "mainApplicationFile": string(),
            "arguments": array(string()), "sparkConf": stringMap(), "volumes": array(ref("Volume")),
            "deps": ref("Dependencies"), "restartPolicy": ref("RestartPolicy"), "pythonVersion": string(),
            "timeToLiveSeconds": int64(), "batchScheduler": string(),
            "batchSchedulerOptions": object(["queue": string(), "priorityClassName": string()]),
            "sparkUIOptions": object([
                "servicePort": int32(), "ingressAnnotations": stringMap(),
                "ingressTLS": array(object(["hosts": array(string()), "secretName": string()])),
            ]),
            "driver": ref("DriverSpec"), "executor": ref("ExecutorSpec"),
        ],
        required: ["driver", "executor"],
        description: "The SparkApplication spec as submitted, without pod environments.")

    /// Every schema by name.
    static let all: [String: JSONValue] = [
        "SubmitApplicationRequest": submitApplicationRequest,
        "DriverSpec": driverSpec,
        "ExecutorSpec": executorSpec,
        "EnvVar": object(
            [
                "name": string(), "value": string(),
                "valueFrom": hidden(
                    object(["fieldRef": object(["fieldPath": string(), "apiVersion": string()], required: ["fieldPath"])])),
            ], required: ["name"]),
        "Volume": object(
            [
                "name": string(),
                "hostPath": object(["path": string(), "type": string()], required: ["path"]),
                "configMap": object(["name": string()]),
            ], required: ["name"]),
        "VolumeMount": object(
            ["name": string(), "mountPath": string(), "readOnly": bool(), "subPath": string()],
            required: ["name", "mountPath"]),
        "SecurityContext": object(["privileged": bool(), "runAsUser": int64(), "allowPrivilegeEscalation": bool()]),
        "Affinity": object([
            "nodeAffinity": object([
                "requiredDuringSchedulingIgnoredDuringExecution": object(
                    ["nodeSelectorTerms": array(nodeSelectorTerm)], required: ["nodeSelectorTerms"]),
                "preferredDuringSchedulingIgnoredDuringExecution": array(
                    object(["weight": int32(), "preference": nodeSelectorTerm], required: ["weight", "preference"])),
            ])
        ]),
        "PodDNSConfig": object([
            "nameservers": array(string()), "searches": array(string()),
            "options": array(object(["name": string(), "value": string()], required: ["name"])),
        ]),
        "Dependencies": object([
            "jars": array(string()), "files": array(string()), "pyFiles": array(string()), "packages": array(string()),
            "excludePackages": array(string()), "repositories": array(string()), "archives": array(string()),
        ]),
        "RestartPolicy": object([
            "type": string("`Never`, `OnFailure` or `Always`."), "onSubmissionFailureRetries": int32(),
            "onFailureRetries": int32(), "onSubmissionFailureRetryInterval": int64(), "onFailureRetryInterval": int64(),
        ]),
        "SubmitApplicationResponse": object(["submissionId": string()], required: ["submissionId"]),
        "UploadArtifactResponse": object(["url": string("`s3a://<bucket>/<key>`.")], required: ["url"]),
        "DeleteSubmissionResponse": object(["submissionId": string()], required: ["submissionId"]),
        "GetSubmissionStatusResponse": object(statusProperties, required: ["duration", "applicationState"]),
        "GetDriverInfoResponse": object(["podName": string(), "startTime": int64("Epoch milliseconds.")]),
        "SubmissionStatusEvent": object(
            [
                "submissionId": string(), "sequence": int32("1, 2, 3… per submission; the event's `id`."),
                "state": string(), "observedAt": int64("Epoch milliseconds."),
                "message": string("The failed create's error, the operator's error message or the gateway's note, when there is one."),
            ], required: ["submissionId", "sequence", "state", "observedAt"]),
        "GetMySubmissionsResponse": object(["submissions": array(ref("SubmissionSummary"))], required: ["submissions"]),
        "SubmissionSummary": submissionSummary,
        "SparkApplicationSpec": sparkApplicationSpec,
        "VersionInfo": object(["version": string(), "gitCommit": string(), "buildTime": string()]),
        "HealthcheckResponse": object(["status": string("Always `OK`.")], required: ["status"]),
        "ErrorResponse": errorResponse,
        "ClusterHealthReport": object(
            [
                "healthChecking": bool("`gateway.health.enabled`: whether routing skips `down` clusters."),
                "failovers": int64("Submissions moved to another cluster after a retriable failure, since start."),
                "clusters": array(ref("ClusterHealthDetail")),
            ], required: ["healthChecking", "failovers", "clusters"]),
        "ClusterHealthDetail": object(
            [
                "id": string(), "weight": int32(),
                "health": string("`unknown`, `up`, `degraded` or `down`."),
                "state": string("The circuit breaker: `closed`, `open` or `halfOpen`."),
                "consecutiveFailures": int32(), "lastError": string("The last failure, without credentials."),
                "latencyMs": int64("Round trip of the last probe or create."),
                "backlog": object(["pending": int32(), "running": int32()], description: "From the application monitor; absent without one."),
            ], required: ["id", "weight", "health", "state", "consecutiveFailures"]),
    ]
}
