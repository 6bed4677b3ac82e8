import Foundation
import Testing
@testable import ObjectStorage

/// The client against a real S3 implementation (moto, started once for the process; see
/// `MotoServer`). Skipped with the reason when moto is not installed.
@Suite(.enabled(if: MotoServer.unavailableReason == nil, Comment(rawValue: MotoServer.unavailableReason ?? "")), .timeLimit(.minutes(5)))
struct S3ClientTests {
    @Test func uploadsReadsAndDeletesASmallObject() async throws {
        let moto = try await MotoServer.instance()
        let bucket = try await moto.makeBucket()
        let client = moto.client()
        let key = "uploaded/20261203/a b+c/ü ber.py"
        let body = Data("print('hello')\n".utf8)
        let result = try await client.putObject(bucket: bucket, key: key, data: body)
        #expect(result.parts == 0)
        #expect(result.size == body.count)
        #expect(try await client.getObjectData(bucket: bucket, key: key) == body)
        #expect(try await client.headObject(bucket: bucket, key: key)?.size == body.count)
        try await client.deleteObject(bucket: bucket, key: key)
        #expect(try await client.headObject(bucket: bucket, key: key) == nil)
    }

    @Test func uploadsAnEmptyObject() async throws {
        let moto = try await MotoServer.instance()
        let bucket = try await moto.makeBucket()
        let result = try await moto.client().putObject(bucket: bucket, key: "empty", data: Data())
        #expect(result.size == 0)
        #expect(try await moto.client().getObjectData(bucket: bucket, key: "empty").isEmpty)
    }

    @Test func reportsAMissingObjectAsNotFound() async throws {
        let moto = try await MotoServer.instance()
        let bucket = try await moto.makeBucket()
        await #expect { _ = try await moto.client().getObject(bucket: bucket, key: "nothing/here") } throws: { error in
            let e = error as? ObjectStorageError
            return e?.isNotFound == true && e?.reason == "NoSuchKey"
        }
    }

    /// 64 MiB by default, 2 GiB with `BPG_TEST_S3_LARGE=1`: generated as it is read, uploaded in
    /// 5 MiB parts, read back as a stream and checked byte for byte without holding either copy.
    @Test func streamsAMultipartUploadAndDownloadOfAGeneratedObject() async throws {
        let moto = try await MotoServer.instance()
        let bucket = try await moto.makeBucket()
        let client = moto.client(partSize: 5 << 20)
        let size = ProcessInfo.processInfo.environment["BPG_TEST_S3_LARGE"] == "1" ? 2 << 30 : 64 << 20
        var source = GeneratedSource(size: size)
        let result = try await client.putObject(bucket: bucket, key: "generated/object.bin", from: &source)
        #expect(result.size == size)
        #expect(result.parts == (size + (5 << 20) - 1) / (5 << 20))
        #expect(try await client.headObject(bucket: bucket, key: "generated/object.bin")?.size == size)

        let download = try await client.getObject(bucket: bucket, key: "generated/object.bin")
        #expect(download.contentLength == size)
        var offset = 0
        var mismatch: Int?
        for try await chunk in download {
            chunk.withUnsafeBytes { bytes in
                for i in 0..<bytes.count where mismatch == nil && bytes[i] != GeneratedSource.byte(at: offset + i) { mismatch = offset + i }
            }
            offset += chunk.count
        }
        #expect(mismatch == nil)
        #expect(offset == size)
        #expect(try await client.listMultipartUploads(bucket: bucket).isEmpty)
    }

    @Test func streamsAFileOfKnownLengthAsOnePutObject() async throws {
        let moto = try await MotoServer.instance()
        let bucket = try await moto.makeBucket()
        let client = moto.client(partSize: 5 << 20)
        let path = NSTemporaryDirectory() + "bpg-s3-" + UUID().uuidString
        let size = 12 << 20 + 12345
        try Data((0..<size).map { GeneratedSource.byte(at: $0) }).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        var file = try FileSource(path: path)
        #expect(file.knownLength == size)
        let result = try await client.putObject(bucket: bucket, key: "file.bin", from: &file)
        #expect(result.parts == 0)
        #expect(result.size == size)
        #expect(try await client.getObjectData(bucket: bucket, key: "file.bin", maxBytes: 16 << 20) == (try Data(contentsOf: URL(fileURLWithPath: path))))
    }

    @Test func aStreamedPutWhoseSourceFailsStoresNothing() async throws {
        let moto = try await MotoServer.instance()
        let bucket = try await moto.makeBucket()
        let client = moto.client(partSize: 5 << 20)
        var failing = GeneratedSource(size: 20 << 20, failAfter: 7 << 20, declaredLength: 20 << 20)
        await #expect { _ = try await client.putObject(bucket: bucket, key: "failed-stream", from: &failing) } throws: { error in
            (error as? ObjectStorageError)?.reason == "aborted"
        }
        var short = GeneratedSource(size: 6 << 20, declaredLength: 20 << 20)
        await #expect { _ = try await client.putObject(bucket: bucket, key: "short-stream", from: &short) } throws: { error in
            (error as? ObjectStorageError)?.reason == "aborted"
        }
        #expect(try await client.headObject(bucket: bucket, key: "failed-stream") == nil)
        #expect(try await client.headObject(bucket: bucket, key: "short-stream") == nil)
        // The client still works afterwards.
        _ = try await client.putObject(bucket: bucket, key: "after", data: Data("ok".utf8))
    }

    @Test func abortsTheMultipartUploadWhenTheSourceFails() async throws {
        let moto = try await MotoServer.instance()
        let bucket = try await moto.makeBucket()
        let client = moto.client(partSize: 5 << 20)
        var source = GeneratedSource(size: 40 << 20, failAfter: 12 << 20)
        await #expect { _ = try await client.putObject(bucket: bucket, key: "broken", from: &source) } throws: { error in
            (error as? ObjectStorageError)?.reason == "aborted"
        }
        #expect(try await client.listMultipartUploads(bucket: bucket).isEmpty)
        #expect(try await client.headObject(bucket: bucket, key: "broken") == nil)
    }

    @Test func refusesAnObjectOverTheSizeLimitWithoutLeavingParts() async throws {
        let moto = try await MotoServer.instance()
        let bucket = try await moto.makeBucket()
        let client = moto.client(partSize: 5 << 20)
        var source = GeneratedSource(size: 30 << 20)
        await #expect { _ = try await client.putObject(bucket: bucket, key: "big", from: &source, maxSize: 12 << 20) } throws: { error in
            (error as? ObjectStorageError)?.reason == "invalid_argument"
        }
        #expect(try await client.listMultipartUploads(bucket: bucket).isEmpty)
    }

    @Test func aReaderStoppingEarlyEndsTheDownload() async throws {
        let moto = try await MotoServer.instance()
        let bucket = try await moto.makeBucket()
        let client = moto.client()
        var source = GeneratedSource(size: 6 << 20)
        _ = try await client.putObject(bucket: bucket, key: "stop-early", from: &source)
        let download = try await client.getObject(bucket: bucket, key: "stop-early", bufferBytes: 64 << 10)
        var received = 0
        for try await chunk in download {
            received += chunk.count
            if received > 100_000 { download.cancel() }
        }
        #expect(received < 6 << 20)
        // The client still works afterwards (the cancelled handle was not reused broken).
        #expect(try await client.headObject(bucket: bucket, key: "stop-early")?.size == 6 << 20)
    }

    @Test func wrongSecretGivesAClearErrorWithoutTheSecret() async throws {
        let moto = try await MotoServer.instance()
        let bucket = try await moto.makeBucket()
        let wrong = AWSCredentials(accessKeyId: moto.credentials.accessKeyId, secretAccessKey: "definitely-not-the-secret")
        await #expect { _ = try await moto.client(credentials: wrong).putObject(bucket: bucket, key: "x", data: Data("x".utf8)) } throws: { error in
            let e = error as? ObjectStorageError
            let text = "\(error)"
            return e?.reason == "SignatureDoesNotMatch" && e?.isAuthenticationFailure == true && e?.status == 403
                && text.contains("credentials were refused") && !text.contains("definitely-not-the-secret")
        }
    }

    @Test func unknownAccessKeyGivesAClearError() async throws {
        let moto = try await MotoServer.instance()
        let bucket = try await moto.makeBucket()
        let unknown = AWSCredentials(accessKeyId: "AKIAUNKNOWNUNKNOWN00", secretAccessKey: "secret")
        await #expect { _ = try await moto.client(credentials: unknown).getObjectData(bucket: bucket, key: "x") } throws: { error in
            (error as? ObjectStorageError)?.reason == "InvalidAccessKeyId"
        }
    }

    @Test func signsThePayloadWhenAsked() async throws {
        let moto = try await MotoServer.instance()
        let bucket = try await moto.makeBucket()
        let client = moto.client { $0.signPayload = true }
        _ = try await client.putObject(bucket: bucket, key: "signed", data: Data(repeating: 7, count: 1000))
        #expect(try await client.getObjectData(bucket: bucket, key: "signed") == Data(repeating: 7, count: 1000))
    }

    @Test func aStoppedServerIsATransientTransportError() async throws {
        let client = S3Client(
            configuration: S3Configuration(region: "us-west-2", endpoint: "http://127.0.0.1:1"),
            credentials: StaticCredentialsProvider(AWSCredentials(accessKeyId: "a", secretAccessKey: "b")))
        await #expect { _ = try await client.putObject(bucket: "bucket", key: "k", data: Data()) } throws: { error in
            let e = error as? ObjectStorageError
            return e?.reason == "transport" && e?.isTransient == true
        }
    }
}
