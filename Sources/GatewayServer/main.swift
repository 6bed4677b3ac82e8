// The `bpg` executable. Until the server lands, `serve` explains what is missing.
import Foundation

let version = "0.1.0-dev"
let arguments = Array(CommandLine.arguments.dropFirst())

switch arguments.first {
case "--version", "version":
    print("bpg \(version)")
case nil, "--help", "-h", "help":
    print("""
        usage: bpg <command> [options]

        commands:
          serve --dev         run the gateway with embedded defaults (not yet available)
          --version           print the version
        """)
case "serve":
    FileHandle.standardError.write(Data("bpg: the gateway server is not built yet; this is the foundation release\n".utf8))
    exit(1)
default:
    FileHandle.standardError.write(Data("bpg: unknown command '\(arguments[0])'; see 'bpg --help'\n".utf8))
    exit(2)
}
