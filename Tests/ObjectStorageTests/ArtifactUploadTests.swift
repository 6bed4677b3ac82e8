import Foundation
import GatewayCore
import Testing
@testable import Gateway
@testable import ObjectStorage
import HTTPClient
import TestSupport

/// `POST <root>/s3/{name}` end to end: a live gateway (in-memory store, no cluster needed) uploading
/// to moto, and the key layout and input checks in process.
@Suite(.enabled(if: MotoServer.unavailableReason == nil, Comment(rawValue: MotoServer.unavailableReason ?? "")), .timeLimit(.minutes(3)))
struct ArtifactUploadTests {
    /// A gateway whose `s3Bucket` is a fresh moto bucket, credentials from its environment.
    private func withUploadGateway(
        maxUploadBytes: Int = 32 << 20, folder: String? = "uploaded", _ body: (String, String, S3Client) async throws -> Void
    ) async throws {
        let moto = try await MotoServer.instance()
        let bucket = try await moto.makeBucket("artifacts")
        var configuration = GatewayConfiguration()
        configuration.allowedUsers = ["*"]
        configuration.s3Bucket = bucket
        configuration.s3Folder = folder
        configuration.gateway.store.backend = .memory
        configuration.gateway.objectStorage.endpoint = moto.endpoint
        configuration.gateway.objectStorage.credentials = .environment
        configuration.gateway.objectStorage.maxUploadBytes = maxUploadBytes
        configuration.gateway.objectStorage.partSizeBytes = 5 << 20
        var options = GatewayApplication.Options(configuration: configuration)
        options.host = "127.0.0.1"
        options.port = 0
        options.environment = [
            "AWS_ACCESS_KEY_ID": moto.credentials.accessKeyId, "AWS_SECRET_ACCESS_KEY": moto.credentials.secretAccessKey,
        ]
        options.service.monitorEnabled = false
        let gateway = try await GatewayApplication.start(options)
        do {
            try await body("http://127.0.0.1:\(gateway.port)/skatev2", bucket, moto.client())
        } catch {
            await gateway.shutdown()
            throw error
        }
        await gateway.shutdown()
    }

    private struct UploadReply: Decodable { var url: String }

    @Test func uploadsUnderTheDayAndAUniqueIdAndAnswersTheS3aURL() async throws {
        try await withUploadGateway { root, bucket, client in
            let body = Data("print('hi')\n".utf8)
            let reply = try await fetch(
                "POST", root + "/s3/MinimalSparkApp.py", headers: ["User-Account: alice", "Content-Type: application/octet-stream"], body: body)
            #expect(reply.status == 200, "\(reply.text)")
            let url = try JSONDecoder().decode(UploadReply.self, from: reply.body).url
            let prefix = "s3a://\(bucket)/uploaded/\(ArtifactUploads.day(Date()))/"
            #expect(url.hasPrefix(prefix))
            #expect(url.hasSuffix("/MinimalSparkApp.py"))
            let key = String(url.dropFirst("s3a://\(bucket)/".count))
            #expect(key.split(separator: "/").count == 4)
            #expect(try await client.getObjectData(bucket: bucket, key: key) == body)
        }
    }

    @Test func aFolderGivesADeterministicKeyAndAMultipartUploadAboveThePartSize() async throws {
        try await withUploadGateway { root, bucket, client in
            let body = Data((0..<(12 << 20)).map { GeneratedSource.byte(at: $0) })
            let reply = try await fetch("POST", root + "/s3/app.jar?folder=/team/etl/", headers: ["User-Account: alice"], body: body)
            #expect(reply.status == 200, "\(reply.text)")
            #expect(try JSONDecoder().decode(UploadReply.self, from: reply.body).url == "s3a://\(bucket)/uploaded/team/etl/app.jar")
            #expect(try await client.getObjectData(bucket: bucket, key: "uploaded/team/etl/app.jar", maxBytes: 16 << 20) == body)
        }
    }

    @Test func refusesBadInputWithAMessageNamingIt() async throws {
        try await withUploadGateway(maxUploadBytes: 1 << 20) { root, _, _ in
            let tooBig = try await fetch("POST", root + "/s3/big.bin", headers: ["User-Account: alice"], body: Data(count: (1 << 20) + 1))
            // The streamed route refuses an announced oversize body before reading it.
            #expect(tooBig.status == 413)
            #expect(tooBig.text.contains("1048576"))
            let dots = try await fetch("POST", root + "/s3/a.py?folder=x/../y", headers: ["User-Account: alice"], body: Data("x".utf8))
            #expect(dots.status == 400)
            #expect(dots.text.contains("folder"))
            let badLength = try await fetch("POST", root + "/s3/a.py?content-length=abc", headers: ["User-Account: alice"], body: Data("x".utf8))
            #expect(badLength.status == 400)
            #expect(badLength.text.contains("content-length"))
            let mismatch = try await fetch("POST", root + "/s3/a.py?content-length=5", headers: ["User-Account: alice"], body: Data("x".utf8))
            #expect(mismatch.status == 400)
            let anonymous = try await fetch("POST", root + "/s3/a.py", headers: [], body: Data("x".utf8))
            #expect(anonymous.status == 401)
        }
    }

    /// Streams `size` generated bytes as the body of `POST url`, announcing `size` but stopping
    /// with a failure after `breakAfter` bytes when set.
    private func streamedPost(_ url: String, size: Int, breakAfter: Int? = nil) async throws -> HTTPExchangeResponse {
        let pump = UploadPump(limit: 1 << 20)
        let feeder = Task {
            var offset = 0
            while offset < size {
                if let breakAfter, offset >= breakAfter {
                    pump.finish(failed: true)
                    return
                }
                let count = min(1 << 20, size - offset)
                var chunk = Data(count: count)
                let start = offset
                chunk.withUnsafeMutableBytes { (buffer: UnsafeMutableRawBufferPointer) in
                    for i in 0..<count { buffer[i] = GeneratedSource.byte(at: start + i) }
                }
                guard await pump.put(chunk) else { return }
                offset += count
            }
            pump.finish(failed: false)
        }
        defer { feeder.cancel() }
        let transport = CurlTransport(settings: .init(idleTimeout: .seconds(60)))
        return try await transport.perform(
            HTTPExchangeRequest(
                method: "POST", url: url, headers: [("User-Account", "alice"), ("Content-Type", "application/octet-stream")],
                stream: UploadStream(pump: pump, length: size)))
    }

    private static func residentBytes() -> Int {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }) else { return 0 }
        return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) * 1024
    }

    @Test func aLargeUploadStreamsToS3WithoutGrowingMemory() async throws {
        let size = 256 << 20
        try await withUploadGateway(maxUploadBytes: 1 << 30) { root, bucket, client in
            let before = Self.residentBytes()
            let reply = try await streamedPost(root + "/s3/big.bin?folder=large", size: size)
            let growth = Self.residentBytes() - before
            #expect(reply.status == 200, "\(String(decoding: reply.body, as: UTF8.self))")
            // Multipart parts in flight plus buffers: tens of MiB, not the 256 MiB body.
            #expect(growth < 96 << 20, "resident memory grew by \(growth >> 20) MiB")
            let key = "uploaded/large/big.bin"
            var expected = GeneratedSource(size: size)
            var matched = true
            var offset = 0
            // The stored object's size, and its first 8 MiB byte for byte.
            let stored = try await client.getObjectData(bucket: bucket, key: key, maxBytes: 1 << 30)
            #expect(stored.count == size)
            while offset < min(size, 8 << 20) {
                let chunk = try await expected.read(maxLength: 1 << 20)
                if stored[offset..<(offset + chunk.count)] != chunk { matched = false }
                offset += chunk.count
            }
            #expect(matched)
        }
    }

    @Test func anUploadThatBreaksOffStoresNothing() async throws {
        try await withUploadGateway { root, bucket, client in
            // Past one part (5 MiB), so the multipart upload had begun when the body broke off.
            _ = try? await streamedPost(root + "/s3/partial.bin?folder=broken", size: 20 << 20, breakAfter: 12 << 20)
            try await Task.sleep(for: .milliseconds(500))
            await #expect(throws: (any Error).self) {
                _ = try await client.getObjectData(bucket: bucket, key: "uploaded/broken/partial.bin")
            }
            // The multipart upload was aborted, not left holding parts.
            #expect(try await client.listMultipartUploads(bucket: bucket, prefix: "uploaded/broken/").isEmpty)
        }
    }

    @Test func keyLayoutAndNameChecks() throws {
        var configuration = GatewayConfiguration()
        configuration.s3Bucket = "bpg"
        configuration.s3Folder = "/uploaded/"
        let uploads = ArtifactUploads(
            configuration: configuration, client: nil, now: { Date(timeIntervalSince1970: 1_764_720_000) }, uuid: { "u-1" })
        #expect(try uploads.key(name: "a.py", folder: nil) == "uploaded/20251203/u-1/a.py")
        #expect(try uploads.key(name: "a.py", folder: "//x/y//") == "uploaded/x/y/a.py")
        for bad in ["", ".", "..", "a/b", "a\\b", "a\u{7}b"] {
            #expect(throws: ArtifactUploads.Problem.self) { try uploads.key(name: bad, folder: nil) }
        }
        configuration.s3Folder = nil
        let unprefixed = ArtifactUploads(configuration: configuration, client: nil, now: { Date(timeIntervalSince1970: 0) }, uuid: { "u" })
        #expect(try unprefixed.key(name: "a.py", folder: "f") == "f/a.py")
        configuration.s3Bucket = "gs://bucket"
        #expect(throws: ArtifactUploads.Problem.self) { try ArtifactUploads(configuration: configuration, client: nil).checkConfigured() }
    }
}
