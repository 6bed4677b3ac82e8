import Foundation
import HTTPClient
@testable import ObjectStorage
internal import CGatewayShims
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// A throwaway `moto` S3 server (PyPI `moto[server]`, installed by scripts/setup.sh --tests into
/// `.build-python/venv`), shared by the S3 tests of one test process. It enforces IAM
/// authentication after the three calls that create the test user, so wrong credentials fail as
/// they would on AWS. A watchdog shell stops it when the test process exits, however it exits.
final class MotoServer: Sendable {
    let endpoint: String
    let credentials: AWSCredentials
    let pid: pid_t

    /// Why the S3 tests cannot run here, or nil when moto is available.
    static let unavailableReason: String? = {
        if executable == nil {
            return "moto_server not found: run scripts/setup.sh --tests (it installs moto[server] into .build-python/venv) or set BPG_TEST_MOTO_SERVER"
        }
        return nil
    }()

    static let executable: String? = {
        if let path = ProcessInfo.processInfo.environment["BPG_TEST_MOTO_SERVER"], FileManager.default.isExecutableFile(atPath: path) {
            return path
        }
        // Tests/ObjectStorageTests/MotoServer.swift → the package root.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let path = root.appendingPathComponent(".build-python/venv/bin/moto_server").path
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }()

    /// Started on first use; nil (with `startFailure`) when it could not start.
    private static let shared: Task<Result<MotoServer, any Error>, Never> = Task {
        do { return .success(try await MotoServer.start()) } catch { return .failure(error) }
    }

    static func instance() async throws -> MotoServer { try await shared.value.get() }

    private init(endpoint: String, credentials: AWSCredentials, pid: pid_t) {
        self.endpoint = endpoint
        self.credentials = credentials
        self.pid = pid
    }

    private static func start() async throws -> MotoServer {
        guard let executable else { throw MotoError(message: unavailableReason ?? "") }
        let port = try freePortBelowEphemeralRange()
        // The shell stops moto when its standard input reaches end of file: when this process, which
        // holds the pipe's other end, exits however it exits (a pid check would miss a zombie).
        let script = """
            INITIAL_NO_AUTH_ACTION_COUNT=3 "$0" -H 127.0.0.1 -p \(port) </dev/null >/dev/null 2>&1 & m=$!
            while read -r _; do :; done
            kill $m 2>/dev/null
            """
        var fds: [Int32] = [0, 0]
        guard gw_pipe_cloexec(&fds) == 0 else { throw MotoError(message: "pipe2 failed") }
        keepAlive = fds[1]
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, fds[0], 0)
        // Nothing else of this process's: a shell that inherited a test's client socket kept that
        // connection open after the test closed it, so the server never saw the client leave.
        gw_spawn_file_actions_addclosefrom(&actions, 3)
        // The spawning thread's blocked signals would be inherited, and moto would ignore the
        // watchdog's SIGTERM: start the child with an empty mask and default handlers.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGTERM)
        sigaddset(&defaults, SIGINT)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let arguments = ["/bin/sh", "-c", script, executable]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, "/bin/sh", &actions, &attributes, &argv, environ) == 0 else { throw MotoError(message: "posix_spawn failed") }
        close(fds[0])
        let endpoint = "http://127.0.0.1:\(port)"
        let deadline = ContinuousClock.now + .seconds(60)
        while !canConnect(port: port) {
            guard ContinuousClock.now < deadline else { throw MotoError(message: "moto did not listen on \(port) within 60 s") }
            try await Task.sleep(for: .milliseconds(200))
        }
        let credentials = try await createUser(endpoint: endpoint)
        return MotoServer(endpoint: endpoint, credentials: credentials, pid: pid)
    }

    /// IAM `CreateUser`, `CreateAccessKey`, `PutUserPolicy` (allow everything): the three calls moto
    /// lets through before it starts checking signatures.
    private static func createUser(endpoint: String) async throws -> AWSCredentials {
        let transport = CurlTransport(settings: .init())
        let signer = SignatureV4(region: "us-east-1", service: "iam")
        let anyone = AWSCredentials(accessKeyId: "AKIDSETUP", secretAccessKey: "setup")
        let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#
        var created: AWSCredentials?
        for action in [
            [("Action", "CreateUser"), ("UserName", "gateway-test")],
            [("Action", "CreateAccessKey"), ("UserName", "gateway-test")],
            [("Action", "PutUserPolicy"), ("UserName", "gateway-test"), ("PolicyName", "all"), ("PolicyDocument", policy)],
        ] {
            let form = (action + [("Version", "2010-05-08")]).map { "\($0.0)=\(S3Path.encode($0.1, keepSlash: false))" }.joined(separator: "&")
            let body = Data(form.utf8)
            let date = Date()
            let hash = Digest.hex(Digest.sha256(body))
            let host = String(endpoint.dropFirst("http://".count))
            let headers = [("host", host), ("x-amz-date", SignatureV4.timestamps(date).amzDate), ("content-type", "application/x-www-form-urlencoded")]
            let authorization = signer.authorization(
                method: "POST", path: "/", query: [], headers: headers, payloadHash: hash, credentials: anyone, date: date)
            let response = try await transport.perform(HTTPExchangeRequest(
                method: "POST", url: endpoint + "/", headers: headers.filter { $0.0 != "host" } + [("Authorization", authorization)],
                body: body, totalTimeout: .seconds(30)))
            guard response.status == 200 else {
                throw MotoError(message: "IAM \(action[0].1) answered \(response.status): \(String(decoding: response.body, as: UTF8.self))")
            }
            let xml = String(decoding: response.body, as: UTF8.self)
            if let id = XMLText.first("AccessKeyId", in: xml), let secret = XMLText.first("SecretAccessKey", in: xml) {
                created = AWSCredentials(accessKeyId: id, secretAccessKey: secret)
            }
        }
        guard let created else { throw MotoError(message: "CreateAccessKey returned no key") }
        return created
    }

    private static func canConnect(port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    /// A client for this server with the test user's (or the given) credentials.
    func client(credentials: AWSCredentials? = nil, partSize: Int = 5 << 20, configure: (inout S3Configuration) -> Void = { _ in }) -> S3Client {
        var configuration = S3Configuration(region: "us-west-2", endpoint: endpoint)
        configuration.partSize = partSize
        configure(&configuration)
        return S3Client(configuration: configuration, credentials: StaticCredentialsProvider(credentials ?? self.credentials))
    }

    /// A new bucket with a unique name.
    func makeBucket(_ prefix: String = "test") async throws -> String {
        let name = "\(prefix)-\(UUID().uuidString.lowercased().prefix(13))"
        try await client().createBucket(name)
        return name
    }
}

/// The write end of the watchdog's pipe, open for the life of the process (never written).
nonisolated(unsafe) private var keepAlive: Int32 = -1

struct MotoError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// Deterministic bytes of any length, generated as read: byte `i` is a function of `i`, so a reader
/// can check any chunk at any offset without holding the whole object.
struct GeneratedSource: ObjectSource {
    let size: Int
    var offset = 0
    /// Throw after this many bytes (to test aborts).
    var failAfter: Int?
    /// Announce a length up front, as a file does (a streamed single `PutObject`).
    var declaredLength: Int?

    var knownLength: Int? { declaredLength }

    static func byte(at index: Int) -> UInt8 { UInt8(truncatingIfNeeded: (index &* 2_654_435_761) >> 13 ^ index) }

    mutating func read(maxLength: Int) async throws -> Data {
        if let failAfter, offset >= failAfter { throw MotoError(message: "the source failed on purpose") }
        let count = min(maxLength, size - offset, 1 << 20)
        guard count > 0 else { return Data() }
        var data = Data(count: count)
        let start = offset
        data.withUnsafeMutableBytes { (buffer: UnsafeMutableRawBufferPointer) in
            for i in 0..<count { buffer[i] = Self.byte(at: start + i) }
        }
        offset += count
        return data
    }
}
