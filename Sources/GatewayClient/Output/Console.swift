import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Where the client commands write and how they ask: the process's standard streams and terminal,
/// or a recording one in tests.
public protocol ClientConsole: Sendable {
    /// Standard output: results (ids, tables, documents, logs).
    func write(_ data: Data)
    /// Standard error: progress, errors.
    func writeError(_ text: String)
    /// Whether standard output is a terminal (tables are then sized to it).
    var outputIsTerminal: Bool { get }
    /// Whether standard error is a terminal (the `--wait` progress line is then rewritten in place).
    var errorIsTerminal: Bool { get }
    /// Columns of the terminal, or of `COLUMNS`; nil when unknown (no truncation).
    var width: Int? { get }
    /// Asks for a secret on the terminal with echo off; nil when there is no terminal.
    func readSecret(prompt: String) -> String?
}

extension ClientConsole {
    public func write(_ text: String) { write(Data(text.utf8)) }
}

/// The process's standard output and error, and its controlling terminal for prompts.
public struct StandardConsole: ClientConsole {
    let environment: [String: String]

    public init(environment: [String: String]) { self.environment = environment }

    public func write(_ data: Data) { FileHandle.standardOutput.write(data) }
    public func writeError(_ text: String) { FileHandle.standardError.write(Data(text.utf8)) }
    public var outputIsTerminal: Bool { isatty(1) == 1 }
    public var errorIsTerminal: Bool { isatty(2) == 1 }

    public var width: Int? {
        for descriptor in [Int32(1), 2] where isatty(descriptor) == 1 {
            var size = winsize()
            if ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        }
        return environment["COLUMNS"].flatMap(Int.init).flatMap { $0 > 0 ? $0 : nil }
    }

    /// Reads from `/dev/tty` with echo off (the password never appears, even when standard input is
    /// redirected), restoring the terminal's mode afterwards, also when interrupted.
    public func readSecret(prompt: String) -> String? {
        let tty = open("/dev/tty", O_RDWR | O_CLOEXEC)
        guard tty >= 0 else { return nil }
        defer { close(tty) }
        var saved = termios()
        guard tcgetattr(tty, &saved) == 0 else { return nil }
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO)
        quiet.c_lflag |= tcflag_t(ECHONL)
        _ = prompt.withCString { Glibc.write(tty, $0, strlen($0)) }
        guard tcsetattr(tty, TCSAFLUSH, &quiet) == 0 else { return nil }
        TerminalRestore.remember(tty: tty, mode: saved)
        defer {
            _ = tcsetattr(tty, TCSAFLUSH, &saved)
            TerminalRestore.forget()
        }
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while Glibc.read(tty, &byte, 1) == 1 {
            if byte == 0x0A || byte == 0x0D { break }
            bytes.append(byte)
            if bytes.count > 4096 { break }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// The terminal mode to put back if the process is interrupted at a password prompt (Ctrl-C
/// would otherwise leave the shell without echo).
enum TerminalRestore {
    private static let saved = Mutex<(Int32, termios)?>(nil)

    static func remember(tty: Int32, mode: termios) {
        saved.withLock { $0 = (tty, mode) }
        signal(SIGINT) { number in
            TerminalRestore.restore()
            signal(number, SIG_DFL)
            raise(number)
        }
    }

    static func forget() {
        saved.withLock { $0 = nil }
        signal(SIGINT, SIG_DFL)
    }

    static func restore() {
        if var (tty, mode) = saved.withLock({ $0 }) { _ = tcsetattr(tty, TCSAFLUSH, &mode) }
    }
}
