internal import CGatewayShims
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A child process started with `posix_spawn` directly.
///
/// Foundation's `Process.run()` crashed here (SIGSEGV in `memcpy` inside `run()`, also with every
/// call serialised) in test runs that start many threads; `posix_spawn` with the file actions below
/// is all an exec credential plugin (or a test's helper server) needs. Blocking calls (`wait`, `run`)
/// belong on a dedicated thread, never on Swift's cooperative pool.
public final class ChildProcess: Sendable {
    /// What the child's standard output and error are connected to.
    public enum Output: Sendable {
        /// `/dev/null`.
        case discard
        /// Appended to this file (created if needed).
        case file(String)
    }

    /// What a finished `run` produced.
    public struct Completion: Sendable {
        /// The exit status, or 128 + the signal number when a signal ended the process.
        public var status: Int32
        public var standardOutput: Data
        public var standardError: Data
        /// Whether `timeout` passed and the process was killed.
        public var timedOut: Bool
    }

    public let pid: Int32
    private let exitStatus = Mutex<Int32?>(nil)
    /// The write end of the child's standard input when kept open (some servers exit on EOF).
    private let standardInput: Int32

    private init(pid: Int32, standardInput: Int32) {
        self.pid = pid
        self.standardInput = standardInput
    }

    deinit {
        if standardInput >= 0 { close(standardInput) }
    }

    /// Starts a long-running child (a helper server) whose output goes to `output`. With
    /// `keepStandardInputOpen`, its standard input is a pipe left open until this object goes away.
    public static func spawn(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, output: Output = .discard,
        keepStandardInputOpen: Bool = false
    ) throws -> ChildProcess {
        var actions = FileActions()
        defer { actions.destroy() }
        var inputPipe: [Int32] = [-1, -1]
        if keepStandardInputOpen {
            guard gw_pipe_cloexec(&inputPipe) == 0 else { throw SpawnError(function: "pipe2", code: errno) }
            actions.duplicate(inputPipe[0], to: 0)
        } else {
            actions.open("/dev/null", to: 0, flags: O_RDONLY)
        }
        for target in [Int32(1), 2] {
            switch output {
            case .discard: actions.open("/dev/null", to: target, flags: O_WRONLY)
            case .file(let path): actions.open(path, to: target, flags: O_WRONLY | O_CREAT | O_APPEND)
            }
        }
        let pid: pid_t
        do {
            pid = try spawn(executable, arguments, environment: environment, actions: &actions)
        } catch {
            if keepStandardInputOpen { close(inputPipe[0]); close(inputPipe[1]) }
            throw error
        }
        if keepStandardInputOpen { close(inputPipe[0]) }
        return ChildProcess(pid: pid, standardInput: inputPipe[1])
    }

    /// Runs `executable` to completion with standard input from `/dev/null`, collecting its output;
    /// past `timeout` it is killed (SIGKILL) and `timedOut` is set. Blocking.
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, timeout: Duration
    ) throws -> Completion {
        var outputPipe: [Int32] = [-1, -1]
        var errorPipe: [Int32] = [-1, -1]
        guard gw_pipe_cloexec(&outputPipe) == 0 else { throw SpawnError(function: "pipe2", code: errno) }
        guard gw_pipe_cloexec(&errorPipe) == 0 else {
            close(outputPipe[0]); close(outputPipe[1])
            throw SpawnError(function: "pipe2", code: errno)
        }
        var actions = FileActions()
        defer { actions.destroy() }
        actions.open("/dev/null", to: 0, flags: O_RDONLY)
        actions.duplicate(outputPipe[1], to: 1)
        actions.duplicate(errorPipe[1], to: 2)
        let pid: pid_t
        do {
            pid = try spawn(executable, arguments, environment: environment, actions: &actions)
        } catch {
            for fd in outputPipe + errorPipe { close(fd) }
            throw error
        }
        close(outputPipe[1])
        close(errorPipe[1])
        defer { close(outputPipe[0]); close(errorPipe[0]) }

        // Read both pipes until EOF (a chatty child cannot fill one and stall), killing at the deadline.
        let deadline = ContinuousClock.now + timeout
        var collected = [Data(), Data()]
        var open = [true, true]
        var timedOut = false
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while open[0] || open[1] {
            var fds = [
                pollfd(fd: open[0] ? outputPipe[0] : -1, events: Int16(POLLIN), revents: 0),
                pollfd(fd: open[1] ? errorPipe[0] : -1, events: Int16(POLLIN), revents: 0),
            ]
            let remaining = ContinuousClock.now.duration(to: deadline)
            let waitMillis = timedOut ? 1_000 : max(0, Int32(clamping: remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000))
            let ready = poll(&fds, 2, waitMillis)
            if ready < 0 {
                if errno == EINTR { continue }
                break
            }
            if ready == 0 {
                if timedOut { break }  // killed, and the pipes still do not close: give up reading
                timedOut = true
                kill(pid, SIGKILL)
                continue
            }
            for index in 0..<2 where open[index] && fds[index].revents != 0 {
                let count = read(fds[index].fd, &buffer, buffer.count)
                if count > 0 {
                    collected[index].append(contentsOf: buffer[0..<count])
                } else if count == 0 || errno != EINTR {
                    open[index] = false
                }
            }
        }
        let child = ChildProcess(pid: pid, standardInput: -1)
        let status = child.wait()
        return Completion(status: status, standardOutput: collected[0], standardError: collected[1], timedOut: timedOut)
    }

    /// Waits for the child to exit and returns its status (128 + signal when killed). Blocking.
    @discardableResult
    public func wait() -> Int32 {
        if let known = exitStatus.withLock({ $0 }) { return known }
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) == -1 {
            if errno != EINTR { return exitStatus.withLock { $0 } ?? -1 }
        }
        // WIFEXITED / WEXITSTATUS / WTERMSIG, which are macros Swift does not import.
        let status = (raw & 0x7f) == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
        exitStatus.withLock { $0 = status }
        return status
    }

    /// Sends `signal` (SIGTERM by default) unless the child has been waited for.
    public func terminate(signal: Int32 = SIGTERM) {
        if exitStatus.withLock({ $0 }) == nil { kill(pid, signal) }
    }

    /// Why a child could not be started.
    public struct SpawnError: Error, CustomStringConvertible {
        public var function: String
        public var code: Int32
        public var description: String { "\(function) failed: \(String(cString: strerror(code)))" }
    }

    private static func spawn(
        _ executable: String, _ arguments: [String], environment: [String: String]?, actions: inout FileActions
    ) throws -> pid_t {
        let environmentStrings =
            (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        var argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        var envp: [UnsafeMutablePointer<CChar>?] = environmentStrings.map { strdup($0) } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        // The child starts with default signal dispositions and an empty mask: the gateway ignores
        // SIGTERM/SIGINT itself (dispatch sources handle them), which a child must not inherit.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var all = sigset_t()
        sigfillset(&all)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        var pid: pid_t = 0
        // Nothing of the gateway's beyond standard input, output and error: a plugin that hangs must
        // not hold copies of client or API-server sockets (their connections would stay open).
        gw_spawn_file_actions_addclosefrom(&actions.raw, 3)
        // posix_spawnp resolves a bare command name through PATH, as a shell would.
        let code = posix_spawnp(&pid, executable, &actions.raw, &attributes, &argv, &envp)
        guard code == 0 else { throw SpawnError(function: "posix_spawnp(\(executable))", code: code) }
        return pid
    }

    /// `posix_spawn_file_actions_t`, owned by one spawn call.
    private struct FileActions {
        var raw = posix_spawn_file_actions_t()
        init() { posix_spawn_file_actions_init(&raw) }
        mutating func open(_ path: String, to fd: Int32, flags: Int32) {
            posix_spawn_file_actions_addopen(&raw, fd, path, flags, 0o644)
        }
        mutating func duplicate(_ source: Int32, to fd: Int32) {
            posix_spawn_file_actions_adddup2(&raw, source, fd)
        }
        mutating func destroy() { posix_spawn_file_actions_destroy(&raw) }
    }
}
