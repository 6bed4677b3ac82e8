import Testing

@testable import Gateway
@testable import GatewayServer

@Suite struct CommandParserTests {
    @Test func serveWithConfigAndOverrides() throws {
        let command = try CommandParser.parse(["serve", "--config", "bpg.yaml", "--port=9090", "--host", "0.0.0.0"])
        var expected = ServeOptions()
        expected.configPath = "bpg.yaml"
        expected.port = 9090
        expected.host = "0.0.0.0"
        #expect(command == .serve(expected))
    }

    @Test func devMode() throws {
        let command = try CommandParser.parse(["serve", "--dev", "--log-format", "logfmt"])
        var expected = ServeOptions()
        expected.dev = true
        expected.logFormat = .logfmt
        #expect(command == .serve(expected))
    }

    @Test(arguments: [
        (["serve"], "serve needs --config FILE or --dev"),
        (["serve", "--dev", "--config", "x"], "serve takes --config or --dev, not both"),
        (["serve", "--dev", "--port", "70000"], "--port must be a number from 0 to 65535, not '70000'"),
        (["serve", "--config"], "--config needs a value"),
        (["serve", "--dev", "--verbose"], "unknown option '--verbose' for serve"),
        (["serve", "--dev", "--log-format", "xml"], "--log-format must be json or logfmt, not 'xml'"),
        (["check-config"], "check-config takes exactly one FILE argument"),
        (["launch"], "unknown command 'launch'"),
        (["--version", "extra"], "unexpected argument 'extra' after --version"),
    ])
    func mistakesAreNamed(arguments: [String], message: String) {
        #expect(throws: UsageError(message: message)) { try CommandParser.parse(arguments) }
    }

    @Test func simulateCluster() throws {
        #expect(try CommandParser.parse(["simulate-cluster"]) == .simulateCluster(SimulatorOptions()))
        var expected = SimulatorOptions()
        expected.port = 0
        expected.token = nil
        expected.useTLS = false
        expected.kubeconfigPath = "/tmp/kc"
        expected.stepMillis = 50
        let command = try CommandParser.parse(
            ["simulate-cluster", "--port=0", "--no-auth", "--plain-http", "--kubeconfig", "/tmp/kc", "--step-ms", "50"])
        #expect(command == .simulateCluster(expected))
        #expect(throws: UsageError(message: "--token must not be empty (use --no-auth)")) {
            try CommandParser.parse(["simulate-cluster", "--token="])
        }
        #expect(throws: UsageError(message: "unknown option '--verbose' for simulate-cluster")) {
            try CommandParser.parse(["simulate-cluster", "--verbose"])
        }
        #expect(try CommandParser.parse(["simulate-cluster", "--help"]) == .help(topic: "simulate-cluster"))
        #expect(CommandParser.helpText(topic: "simulate-cluster").contains("--kubeconfig"))
    }

    @Test func helpEverywhere() throws {
        #expect(try CommandParser.parse([]) == .help(topic: nil))
        #expect(try CommandParser.parse(["serve", "--help"]) == .help(topic: "serve"))
        #expect(try CommandParser.parse(["check-config", "-h"]) == .help(topic: "check-config"))
        #expect(CommandParser.helpText(topic: "serve").contains("--dev"))
    }
}
