import Foundation
import JSON
import Synchronization
import YAML

/// Runs a ``ClientInvocation`` against a gateway: resolves where to connect, sends the calls, prints
/// the results in the chosen format, and returns the exit status. Every failure is printed as one
/// line on standard error (`bpg: <message>`).
///
/// ```swift
/// let runner = ClientRunner(console: StandardConsole(environment: env), environment: env)
/// let status = await runner.run(ClientInvocation(command: .status(id: id, wait: true)))
/// exit(status.rawValue)
/// ```
public struct ClientRunner: Sendable {
    let console: any ClientConsole
    let environment: [String: String]
    let readStandardInput: @Sendable () throws -> Data
    /// How `--wait` follows a job (tests shorten the polling interval).
    public var watchOptions = WatchOptions()
    /// Without `-f`, `logs` stops once the log has been quiet this long (the server follows a
    /// running driver's log; this prints what is there so far).
    public var logQuietPeriod: Duration = .milliseconds(1500)

    public init(
        console: any ClientConsole, environment: [String: String],
        readStandardInput: @escaping @Sendable () throws -> Data = { FileHandle.standardInput.readDataToEndOfFile() }
    ) {
        self.console = console
        self.environment = environment
        self.readStandardInput = readStandardInput
    }

    public func run(_ invocation: ClientInvocation) async -> ExitStatus {
        let resolution: ConnectionResolver.Resolution
        do throws(GatewayClientError) {
            var file = ClientConfigFile()
            if let path = ClientConfigFile.defaultPath(environment: environment) {
                // A file named by BPG_CONFIG must exist; the default one is optional.
                file = try ClientConfigFile.load(path: path, required: !(environment["BPG_CONFIG"] ?? "").isEmpty)
            }
            resolution = try ConnectionResolver.resolve(flags: invocation.connection, environment: environment, file: file)
        } catch {
            fail(error)
            // Where to connect is part of how bpg was invoked.
            return .usage
        }
        var endpoint = resolution.endpoint
        do {
            return try await execute(invocation, client: GatewayClient(endpoint: endpoint))
        } catch let error where error.status == 401 && !resolution.passwordKnown && endpoint.user != nil {
            // Ask once, on the terminal, then try again: the password never appears anywhere.
            guard let password = console.readSecret(prompt: "Password for \(endpoint.user ?? "") at \(endpoint.server): ") else {
                fail(error)
                return error.exitStatus
            }
            endpoint.password = password
            do {
                return try await execute(invocation, client: GatewayClient(endpoint: endpoint))
            } catch {
                fail(error)
                return error.exitStatus
            }
        } catch {
            fail(error)
            return error.exitStatus
        }
    }

    func fail(_ error: GatewayClientError) {
        console.writeError("bpg: \(error.description)\n")
    }

    private func execute(_ invocation: ClientInvocation, client: GatewayClient) async throws(GatewayClientError) -> ExitStatus {
        let output = invocation.output
        switch invocation.command {
        case .submit(let options):
            return try await submit(options, client: client, output: output)
        case .status(let id, let wait):
            if wait {
                let final = try await waitForEnd(id, client: client, followLogs: false)
                printStatus(try await client.statusDocument(id), id: id, output: output, stateOverride: final.state == StateChange.killed ? final : nil)
                return final.isSuccess ? .success : .jobFailed
            }
            printStatus(try await client.statusDocument(id), id: id, output: output)
            return .success
        case .logs(let id, let follow):
            try await printLog(id, client: client, follow: follow)
            return .success
        case .list(let all, let state):
            var items = all ? try await client.allSubmissions() : try await client.mySubmissions()
            if let state { items = items.filter { Cell.text($0["applicationState"]).caseInsensitiveCompare(state) == .orderedSame } }
            items.sort { ($0["creationTime"]?.int64Value ?? 0) > ($1["creationTime"]?.int64Value ?? 0) }
            printList(items, showUser: all, output: output)
            return .success
        case .describe(let id):
            if output == .table {
                console.write(try await client.describe(id))
            } else {
                let document: JSONValue = [
                    "submissionId": .string(id), "status": try await client.statusDocument(id), "driver": try await client.driver(id),
                    "spec": try await client.spec(id),
                ]
                console.write(output.document(document))
            }
            return .success
        case .delete(let id):
            try await client.delete(id)
            switch output {
            case .table: console.write("deleted \(id)\n")
            default: console.write(output.document(["submissionId": .string(id)]))
            }
            return .success
        case .clusters:
            printClusters(try await client.clusters(), output: output)
            return .success
        }
    }

    // MARK: submit

    private func submit(_ options: SubmitOptions, client: GatewayClient, output: OutputFormat) async throws(GatewayClientError) -> ExitStatus {
        let (body, contentType) = try Self.requestBody(options, input: try readInput(options.file))
        let id = try await client.submit(body, contentType: contentType)
        switch output {
        case .table: console.write(id + "\n")
        default: console.write(output.document(["submissionId": .string(id)]))
        }
        guard options.wait else { return .success }
        let final = try await waitForEnd(id, client: client, followLogs: options.logs)
        return final.isSuccess ? .success : .jobFailed
    }

    private func readInput(_ file: String) throws(GatewayClientError) -> Data {
        do {
            return file == "-" ? try readStandardInput() : try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            let reason = (error as NSError).localizedFailureReason ?? (error as NSError).localizedDescription
            throw .input("cannot read \(file == "-" ? "standard input" : file): \(reason)")
        }
    }

    /// The body to send: the input as it is (JSON or YAML, which the gateway reads with its own
    /// messages), or, with overrides, the input read here, changed and sent as JSON.
    static func requestBody(_ options: SubmitOptions, input: Data) throws(GatewayClientError) -> (Data, String) {
        let text = String(decoding: input, as: UTF8.self)
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .input("the request in \(options.file == "-" ? "standard input" : options.file) is empty") }
        let looksLikeJSON = trimmed.hasPrefix("{")
        guard options.hasOverrides else { return (input, looksLikeJSON ? "application/json" : "application/yaml") }
        var request: JSONValue
        do {
            request = looksLikeJSON ? try JSONValue(parsing: input) : try JSONValue(parsing: try YAML.parseDocument(text).jsonData())
        } catch {
            throw .input("the request in \(options.file == "-" ? "standard input" : options.file) is neither JSON nor YAML: \(error)")
        }
        guard request.objectValue != nil else { throw .input("the request must be a JSON or YAML object") }
        if let queue = options.queue { request["queue"] = .string(queue) }
        if let version = options.sparkVersion { request["sparkVersion"] = .string(version) }
        if let name = options.name { request["applicationName"] = .string(name) }
        if !options.conf.isEmpty {
            var conf = request["sparkConf"]?.objectValue.map(JSONValue.object) ?? .object(JSONObject())
            for setting in options.conf { conf[setting.key] = .string(setting.value) }
            request["sparkConf"] = conf
        }
        return (Data(request.jsonString().utf8), "application/json")
    }

    // MARK: --wait

    /// Follows `id` until it ends, showing each state on standard error; returns the final state.
    private func waitForEnd(_ id: String, client: GatewayClient, followLogs: Bool) async throws(GatewayClientError) -> StateChange {
        // A rewritten line and a log on the same terminal would tear each other: plain lines then.
        let display = WaitDisplay(console: console, submissionId: id, interactive: console.errorIsTerminal && !followLogs)
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                display.tick()
            }
        }
        defer { ticker.cancel() }
        let logTask = Mutex<Task<Void, Never>?>(nil)
        let ended = EndFlag()
        var final: StateChange?
        do {
            // The watch ends right after the job's final state (the operator's SUBMISSION_FAILED,
            // which a retry follows, is not one: see `StateChange.isFinal(_:after:)`).
            defer { ended.set() }
            for try await change in client.watch(id, options: watchOptions) {
                display.show(change)
                // The driver's log exists once it runs (or ran: a short job may be seen only ending).
                if followLogs, logTask.withLock({ $0 == nil }), Self.driverHasRun(change.state) {
                    logTask.withLock {
                        $0 = Task { [self] in
                            try? await printLog(id, client: client, follow: true, retryWhileMissing: { !ended.isSet })
                        }
                    }
                }
                final = change.isFinal ? change : nil
            }
        } catch let error as GatewayClientError {
            display.interrupt()
            logTask.withLock { $0 }?.cancel()
            throw error
        } catch {
            display.interrupt()
            throw .unexpected("\(error)")
        }
        if let task = logTask.withLock({ $0 }) {
            // The log ends when the driver stops; give it a moment to deliver its last lines.
            let done = Task {
                try? await Task.sleep(for: .seconds(10))
                task.cancel()
            }
            await task.value
            done.cancel()
        }
        guard let final else { throw .unexpected("the watch of \(id) ended without a final state") }
        if !final.isSuccess {
            console.writeError("bpg: job \(id) ended \(final.state)" + (final.message.map { ": " + GatewayClient.oneLine($0) } ?? "") + "\n")
        }
        return final
    }

    /// States in which the driver pod runs or has run.
    static func driverHasRun(_ state: String) -> Bool {
        ["RUNNING", "SUCCEEDING", "FAILING", "COMPLETED", "FAILED", "PENDING_RERUN"].contains(state)
    }

    // MARK: logs

    /// What the gateway (as BPG) answers, with 200, when a driver's log cannot be read yet or any more.
    static let noLogMessage = "Cannot find matched log files."

    /// Prints the driver log. With `retryWhileMissing`, an answer saying there is no log yet is
    /// asked again every second while the closure says so (the pod may be a moment behind the state).
    private func printLog(
        _ id: String, client: GatewayClient, follow: Bool, retryWhileMissing: @Sendable () -> Bool = { false }
    ) async throws(GatewayClientError) {
        var current = try await client.log(id, follow: follow)
        var firstChunk: Data?
        var attempts = 1
        while true {
            var iterator = current.makeAsyncIterator()
            firstChunk = try? await iterator.next()
            let missing = firstChunk.map { String(decoding: $0.prefix(Self.noLogMessage.utf8.count), as: UTF8.self) == Self.noLogMessage } ?? false
            // A job seen ending may still have its pod: a few more tries after the end.
            guard missing, retryWhileMissing() || attempts < 3, !Task.isCancelled else { break }
            current.cancel()
            try? await Task.sleep(for: .seconds(1))
            current = try await client.log(id, follow: follow)
            attempts += 1
        }
        let answer = current
        if let firstChunk { console.write(firstChunk) }
        // When the last chunk arrived, and whether the log ended.
        let progress = Mutex((last: ContinuousClock.now, ended: false))
        let console = self.console
        let reader = Task {
            do {
                for try await chunk in answer {
                    progress.withLock { $0.last = .now }
                    console.write(chunk)
                }
            } catch {}
            progress.withLock { $0.ended = true }
        }
        await withTaskCancellationHandler {
            if follow {
                await reader.value
                return
            }
            // The server follows a running driver's log; without -f, stop once it has gone quiet.
            let quiet = logQuietPeriod
            while true {
                try? await Task.sleep(for: .milliseconds(100))
                if Task.isCancelled { break }
                let (last, ended) = progress.withLock { $0 }
                if ended || ContinuousClock.now - last > quiet { break }
            }
            answer.cancel()
            await reader.value
        } onCancel: {
            answer.cancel()
        }
    }

    // MARK: printing

    private func printStatus(_ status: JSONValue, id: String, output: OutputFormat, stateOverride: StateChange? = nil) {
        guard output == .table else {
            console.write(output.document(status))
            return
        }
        var table = Table(columns: [.init("FIELD"), .init("VALUE", shrinkable: true)])
        let rows: [(String, String)] = [
            ("Submission", id),
            ("State", stateOverride?.state ?? Cell.text(status["applicationState"])),
            ("Message", stateOverride?.message ?? Cell.text(status["applicationErrorMessage"])),
            ("Spark app", Cell.text(status["sparkApplicationId"])),
            ("Created", Cell.time(status["creationTime"])),
            ("Terminated", Cell.time(status["terminationTime"])),
            ("Duration", Cell.duration(status["duration"])),
            ("Attempts", Cell.text(status["executionAttempts"])),
            ("Spark UI", Cell.text(status["sparkUIUrl"])),
        ]
        table.rows = rows.filter { !$0.1.isEmpty }.map { [$0.0, $0.1] }
        console.write(table.render(width: console.outputIsTerminal ? console.width : nil))
    }

    private func printList(_ items: [JSONValue], showUser: Bool, output: OutputFormat) {
        guard output == .table else {
            console.write(output.document(.array(items)))
            return
        }
        // Narrow terminals lose the message first, then the times, the queue and the user.
        var columns: [Table.Column] = [.init("SUBMISSION ID"), .init("STATE"), .init("QUEUE", dropOrder: 2)]
        if showUser { columns.append(.init("USER", dropOrder: 1)) }
        columns += [
            .init("NAME", shrinkable: true), .init("CREATED", dropOrder: 4), .init("DURATION", dropOrder: 3),
            .init("MESSAGE", shrinkable: true, dropOrder: 5),
        ]
        var table = Table(columns: columns)
        for item in items {
            var row = [Cell.text(item["submissionId"]), Cell.text(item["applicationState"]), Cell.text(item["queue"])]
            if showUser { row.append(Cell.text(item["user"])) }
            row += [
                Cell.text(item["applicationName"]), Cell.time(item["creationTime"]), Cell.duration(item["duration"]),
                Cell.text(item["applicationErrorMessage"]),
            ]
            table.rows.append(row)
        }
        console.write(table.render(width: console.outputIsTerminal ? console.width : nil))
    }

    private func printClusters(_ report: JSONValue, output: OutputFormat) {
        guard output == .table else {
            console.write(output.document(report))
            return
        }
        var table = Table(columns: [
            .init("CLUSTER"), .init("WEIGHT", dropOrder: 1), .init("HEALTH"), .init("BREAKER", dropOrder: 2),
            .init("FAILURES", dropOrder: 3), .init("LATENCY", dropOrder: 4), .init("PENDING"), .init("RUNNING"),
            .init("LAST ERROR", shrinkable: true),
        ])
        for cluster in report["clusters"]?.arrayValue ?? [] {
            table.rows.append([
                Cell.text(cluster["id"]), Cell.text(cluster["weight"]), Cell.text(cluster["health"]), Cell.text(cluster["state"]),
                Cell.text(cluster["consecutiveFailures"]), cluster["latencyMs"]?.intValue.map { "\($0) ms" } ?? "",
                Cell.text(cluster[path: ["backlog", "pending"]]), Cell.text(cluster[path: ["backlog", "running"]]),
                Cell.text(cluster["lastError"]),
            ])
        }
        console.write(table.render(width: console.outputIsTerminal ? console.width : nil))
    }
}

/// Set once the watched job has ended (read by the log follower on another task).
final class EndFlag: Sendable {
    private let value = Atomic(false)
    func set() { value.store(true, ordering: .releasing) }
    var isSet: Bool { value.load(ordering: .acquiring) }
}
