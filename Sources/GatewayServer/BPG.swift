import Foundation

/// The `bpg` executable: parses the command line and runs the chosen command.
@main
enum BPG {
    static let version = "0.1.0-dev"

    static func main() async {
        let command: Command
        do {
            command = try CommandParser.parse(Array(CommandLine.arguments.dropFirst()))
        } catch {
            printError("bpg: \(error.message)\nRun 'bpg --help' for usage.")
            exit(2)
        }
        switch command {
        case .version:
            print("bpg \(version)")
        case .help(let topic):
            print(CommandParser.helpText(topic: topic), terminator: "")
        case .checkConfig:
            printError("bpg: check-config is not available yet in this build")
            exit(1)
        case .serve:
            printError("bpg: the gateway server is not available yet in this build")
            exit(1)
        }
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}
