import GatewayClient
import Testing

@testable import GatewayServer

/// The client subcommands' grammar: what each command line becomes, and each mistake's one line.
@Suite struct ClientCommandParserTests {
    @Test func submitWithEveryFlag() throws {
        let command = try CommandParser.parse([
            "--url", "http://h:8080", "submit", "job.yaml", "--queue", "poc", "--spark-version=3.5.0", "--name", "Pi",
            "--conf", "spark.a=1", "--conf=spark.b=x=y", "--logs", "-o", "json", "--user", "alice", "--context", "prod",
        ])
        var options = SubmitOptions(file: "job.yaml")
        options.queue = "poc"
        options.sparkVersion = "3.5.0"
        options.name = "Pi"
        options.conf = [.init(key: "spark.a", value: "1"), .init(key: "spark.b", value: "x=y")]
        options.wait = true
        options.logs = true
        #expect(command == .client(ClientInvocation(
            command: .submit(options), connection: ConnectionFlags(url: "http://h:8080", context: "prod", user: "alice"), output: .json)))
    }

    @Test(arguments: [
        (["submit", "-"], ClientCommand.submit(SubmitOptions(file: "-"))),
        (["status", "id-1"], .status(id: "id-1", wait: false)),
        (["status", "--wait", "id-1"], .status(id: "id-1", wait: true)),
        (["logs", "id-1", "-f"], .logs(id: "id-1", follow: true)),
        (["logs", "id-1"], .logs(id: "id-1", follow: false)),
        (["list"], .list(all: false, state: nil)),
        (["list", "--all", "--state", "RUNNING"], .list(all: true, state: "RUNNING")),
        (["describe", "id-1"], .describe(id: "id-1")),
        (["delete", "id-1"], .delete(id: "id-1")),
        (["clusters"], .clusters),
    ])
    func eachCommand(arguments: [String], expected: ClientCommand) throws {
        #expect(try CommandParser.parse(arguments) == .client(ClientInvocation(command: expected)))
    }

    @Test func completionAndHelp() throws {
        #expect(try CommandParser.parse(["completion", "zsh"]) == .completion(shell: "zsh"))
        #expect(try CommandParser.parse(["submit", "--help"]) == .help(topic: "submit"))
        #expect(CommandParser.helpText(topic: "client").contains("exit status"))
        #expect(CommandParser.helpText(topic: "status") == CommandParser.helpText(topic: "client"))
    }

    @Test(arguments: [
        (["submit"], "submit needs a request FILE (or - for standard input)"),
        (["submit", "a.json", "b.json"], "submit takes one FILE, got 2 arguments"),
        (["submit", "a.json", "--frobnicate"], "unknown option '--frobnicate' for submit"),
        (["submit", "a.json", "--conf", "novalue"], "--conf takes KEY=VALUE, not 'novalue'"),
        (["submit", "a.json", "--queue"], "--queue needs a value"),
        (["submit", "a.json", "--wait=yes"], "--wait takes no value"),
        (["status"], "status needs a submission ID"),
        (["status", "a", "b"], "status takes one submission ID, got 2 arguments"),
        (["logs", "a", "--wait"], "unknown option '--wait' for logs"),
        (["list", "extra"], "unexpected argument 'extra' for list"),
        (["list", "-o", "xml"], "--output must be table, json or yaml, not 'xml'"),
        (["list", "--url", ""], "--url must not be empty"),
        (["list", "--password", "x"], "there is no --password flag (it would show in the process list): use BPG_PASSWORD, the config file or the prompt"),
        (["completion"], "completion takes one argument: bash or zsh"),
        (["completion", "fish"], "completion supports bash and zsh, not 'fish'"),
        (["--url", "http://h", "serve", "--dev"], "--url applies to client commands only, not 'serve'"),
        (["--url", "http://h"], "missing command after --url http://h"),
    ])
    func mistakesAreNamed(arguments: [String], message: String) {
        #expect(throws: UsageError(message: message)) { try CommandParser.parse(arguments) }
    }
}
