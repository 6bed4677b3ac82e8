import Foundation
import Testing
@testable import ObjectStorage

/// Signature V4 against AWS's published examples, addressing, error bodies and secret redaction:
/// everything that needs no server.
@Suite struct SignatureV4Tests {
    static let exampleCredentials = AWSCredentials(
        accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")

    @Test func signsTheGetVanillaExampleOfTheSignatureV4TestSuite() {
        let date = Date(timeIntervalSince1970: 1_440_938_160)  // 2015-08-30T12:36:00Z
        let header = SignatureV4(region: "us-east-1", service: "service").authorization(
            method: "GET", path: "/", query: [],
            headers: [("Host", "example.amazonaws.com"), ("X-Amz-Date", "20150830T123600Z")],
            payloadHash: Digest.emptyPayloadHash, credentials: Self.exampleCredentials, date: date)
        #expect(header == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
    }

    @Test func signsTheS3GetObjectExampleOfTheS3Documentation() {
        let date = Date(timeIntervalSince1970: 1_369_353_600)  // 2013-05-24T00:00:00Z
        let header = SignatureV4(region: "us-east-1", service: "s3").authorization(
            method: "GET", path: "/test.txt", query: [],
            headers: [
                ("host", "examplebucket.s3.amazonaws.com"), ("range", "bytes=0-9"),
                ("x-amz-content-sha256", Digest.emptyPayloadHash), ("x-amz-date", "20130524T000000Z"),
            ],
            payloadHash: Digest.emptyPayloadHash,
            credentials: AWSCredentials(accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
            date: date)
        #expect(header.hasSuffix("Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"))
        #expect(header.contains("SignedHeaders=host;range;x-amz-content-sha256;x-amz-date"))
    }

    @Test func formatsTheSigningTimestampsInUTC() {
        let stamps = SignatureV4.timestamps(Date(timeIntervalSince1970: 1_440_938_160))
        #expect(stamps.amzDate == "20150830T123600Z")
        #expect(stamps.day == "20150830")
    }

    @Test(arguments: [
        (nil as String?, S3Configuration.Addressing.auto, "bpg-logs", "a b/ü.txt", "https://bpg-logs.s3.us-west-2.amazonaws.com/a%20b/%C3%BC.txt"),
        (nil, .auto, "my.dotted.bucket", "k", "https://s3.us-west-2.amazonaws.com/my.dotted.bucket/k"),
        (nil, .path, "bpg", "uploaded/x.py", "https://s3.us-west-2.amazonaws.com/bpg/uploaded/x.py"),
        ("http://127.0.0.1:9000", .auto, "bpg", "x", "http://127.0.0.1:9000/bpg/x"),
        ("https://minio.example:9443/base/", .virtualHosted, "bpg", "x", "https://bpg.minio.example:9443/base/x"),
    ])
    func addressesBucketsAsConfigured(endpoint: String?, addressing: S3Configuration.Addressing, bucket: String, key: String, url: String) throws {
        var configuration = S3Configuration(region: "us-west-2", endpoint: endpoint)
        configuration.addressing = addressing
        let client = S3Client(configuration: configuration, credentials: StaticCredentialsProvider(Self.exampleCredentials))
        #expect(try client.target(bucket: bucket, key: key, query: []).url == url)
    }

    @Test func turnsS3ErrorBodiesIntoTypedErrors() {
        let body = Data("""
            <?xml version="1.0" encoding="UTF-8"?>
            <Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match &amp; so on</Message>\
            <AWSAccessKeyId>AKIAEXAMPLE</AWSAccessKeyId><StringToSign>AWS4-HMAC-SHA256</StringToSign><RequestId>R1</RequestId></Error>
            """.utf8)
        let error = ObjectStorageError.fromResponse(status: 403, body: body)
        #expect(error.reason == "SignatureDoesNotMatch")
        #expect(error.isAuthenticationFailure)
        #expect(!error.isTransient)
        #expect(error.description.contains("does not match & so on"))
        #expect(error.description.contains("R1"))
        #expect(!error.description.contains("StringToSign"))

        let bare = ObjectStorageError.fromResponse(status: 404, body: Data())
        #expect(bare.reason == "NotFound")
        #expect(bare.isNotFound)
        #expect(ObjectStorageError.fromResponse(status: 503, body: Data()).isTransient)
    }

    @Test func neverShowsSecretsInDescriptions() {
        let credentials = AWSCredentials(accessKeyId: "AKIAVISIBLE", secretAccessKey: "very-secret", sessionToken: "token-secret")
        for text in [credentials.description, "\(credentials)", String(reflecting: credentials)] {
            #expect(text.contains("AKIAVISIBLE"))
            #expect(!text.contains("very-secret"))
            #expect(!text.contains("token-secret"))
        }
    }
}
