import Foundation
import GatewayCore
import Testing
@testable import Gateway
@testable import ObjectStorage
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
            #expect(tooBig.status == 413)
            #expect(tooBig.text.contains("maxUploadBytes"))
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
