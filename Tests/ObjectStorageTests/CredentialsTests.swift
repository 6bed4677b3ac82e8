import Foundation
import HTTPServing
import Synchronization
import Testing
@testable import ObjectStorage

/// Every source of the credentials chain. STS and the instance metadata service are faked in process
/// with the project's HTTP server; the files are written to a temporary directory.
@Suite struct CredentialsTests {
    @Test func readsTheEnvironment() async throws {
        let chain = CredentialsChain(
            environment: ["AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "s", "AWS_SESSION_TOKEN": "t", "AWS_EC2_METADATA_DISABLED": "true"],
            region: "us-west-2")
        #expect(chain.configuredSource == "environment")
        let credentials = try await chain.credentials()
        #expect(credentials == AWSCredentials(accessKeyId: "AKIAENV", secretAccessKey: "s", sessionToken: "t"))
    }

    @Test func readsProfilesFromTheSharedFilesWithTheCredentialsFileWinning() async throws {
        let directory = try temporaryDirectory()
        try """
            [default]
            aws_access_key_id = AKIADEFAULT
            aws_secret_access_key = default-secret
            # a comment
            [batch]
            aws_access_key_id=AKIABATCH
            aws_secret_access_key = from-credentials
            """.write(toFile: directory + "/credentials", atomically: true, encoding: .utf8)
        try """
            [profile batch]
            aws_secret_access_key = from-config
            aws_session_token = config-token
            region = eu-west-1
            """.write(toFile: directory + "/config", atomically: true, encoding: .utf8)
        let environment = [
            "AWS_SHARED_CREDENTIALS_FILE": directory + "/credentials", "AWS_CONFIG_FILE": directory + "/config",
            "AWS_PROFILE": "batch", "AWS_EC2_METADATA_DISABLED": "true",
        ]
        let chain = CredentialsChain(environment: environment, region: "us-west-2")
        #expect(chain.configuredSource == "shared files")
        #expect(try await chain.credentials() == AWSCredentials(accessKeyId: "AKIABATCH", secretAccessKey: "from-credentials", sessionToken: "config-token"))
        let fallback = try await CredentialsChain(environment: environment, profile: "default", region: "us-west-2").credentials()
        #expect(fallback.accessKeyId == "AKIADEFAULT")

        let missing = CredentialsChain(environment: environment.merging(["AWS_PROFILE": "nope"]) { $1 }, region: "us-west-2")
        await #expect { try await missing.credentials() } throws: { error in
            (error as? ObjectStorageError)?.reason == "credentials" && "\(error)".contains("profile nope")
        }
    }

    @Test func exchangesTheWebIdentityTokenAndRefreshesBeforeExpiry() async throws {
        let calls = Mutex<[String]>([])
        let expiresIn = Mutex<TimeInterval>(120)  // inside the five-minute refresh window
        let server = try startServer { router in
            router.add(.post, "/") { request in
                let form = String(decoding: request.body, as: UTF8.self)
                calls.withLock { $0.append(form) }
                let expiry = ISO8601DateFormatter().string(from: Date().addingTimeInterval(expiresIn.withLock { $0 }))
                let n = calls.withLock { $0.count }
                return HTTPResponse(status: 200, headers: ["Content-Type": "text/xml"], body: .bytes(Data("""
                    <AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                    <AssumeRoleWithWebIdentityResult><Credentials><AccessKeyId>ASIAWEB\(n)</AccessKeyId>
                    <SecretAccessKey>web-secret</SecretAccessKey><SessionToken>web-token</SessionToken>
                    <Expiration>\(expiry)</Expiration></Credentials></AssumeRoleWithWebIdentityResult>
                    </AssumeRoleWithWebIdentityResponse>
                    """.utf8)))
            }
        }
        defer { Task { await server.shutdown(gracePeriod: .seconds(1)) } }
        let directory = try temporaryDirectory()
        try "projected.jwt.token".write(toFile: directory + "/token", atomically: true, encoding: .utf8)
        let environment = [
            "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/bpg", "AWS_WEB_IDENTITY_TOKEN_FILE": directory + "/token",
            "AWS_ENDPOINT_URL_STS": "http://127.0.0.1:\(server.port)", "AWS_EC2_METADATA_DISABLED": "true",
        ]
        let chain = CredentialsChain(environment: environment, region: "us-west-2")
        #expect(chain.configuredSource == "web identity")
        let first = try await chain.credentials()
        #expect(first.accessKeyId == "ASIAWEB1")
        #expect(first.sessionToken == "web-token")
        let form = try #require(calls.withLock { $0.first })
        #expect(form.contains("Action=AssumeRoleWithWebIdentity"))
        #expect(form.contains("RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fbpg"))
        #expect(form.contains("WebIdentityToken=projected.jwt.token"))

        // Expiring within five minutes: the next call fetches again (the rotated token is re-read).
        try "rotated.token".write(toFile: directory + "/token", atomically: true, encoding: .utf8)
        expiresIn.withLock { $0 = 3600 }
        let second = try await chain.credentials()
        #expect(second.accessKeyId == "ASIAWEB2")
        #expect(calls.withLock { $0.last ?? "" }.contains("WebIdentityToken=rotated.token"))
        // Valid for an hour: cached.
        _ = try await chain.credentials()
        #expect(calls.withLock { $0.count } == 2)
    }

    @Test func reportsARefusedWebIdentityClearly() async throws {
        let server = try startServer { router in
            router.add(.post, "/") { _ in
                HTTPResponse(status: 403, body: .bytes(Data("<ErrorResponse><Error><Code>AccessDenied</Code><Message>Not authorized to perform sts:AssumeRoleWithWebIdentity</Message></Error></ErrorResponse>".utf8)))
            }
        }
        defer { Task { await server.shutdown(gracePeriod: .seconds(1)) } }
        let directory = try temporaryDirectory()
        try "t".write(toFile: directory + "/token", atomically: true, encoding: .utf8)
        let provider = WebIdentityCredentialsProvider(
            roleARN: "arn:aws:iam::1:role/r", tokenFile: directory + "/token", sessionName: "s", stsEndpoint: "http://127.0.0.1:\(server.port)")
        await #expect { try await provider.credentials() } throws: { error in
            let text = "\(error)"
            return (error as? ObjectStorageError)?.reason == "credentials" && text.contains("AccessDenied") && text.contains("sts:AssumeRoleWithWebIdentity")
        }
    }

    @Test func fetchesInstanceMetadataCredentialsWithAnIMDSv2Token() async throws {
        let tokenRequests = Mutex(0)
        let server = try startServer { router in
            router.add(.put, "/latest/api/token") { request in
                guard request.headers["X-aws-ec2-metadata-token-ttl-seconds"] != nil else { return HTTPResponse(status: 400) }
                tokenRequests.withLock { $0 += 1 }
                return .text("imds-session-token")
            }
            router.add(.get, "/latest/meta-data/iam/security-credentials/") { request in
                request.headers["X-aws-ec2-metadata-token"] == "imds-session-token" ? .text("bpg-node-role\n") : HTTPResponse(status: 401)
            }
            router.add(.get, "/latest/meta-data/iam/security-credentials/{role}") { request in
                guard request.headers["X-aws-ec2-metadata-token"] == "imds-session-token", request.pathParameters["role"] == "bpg-node-role" else {
                    return HTTPResponse(status: 401)
                }
                let expiry = ISO8601DateFormatter().string(from: Date().addingTimeInterval(6 * 3600))
                return .json(Data(#"{"Code":"Success","Type":"AWS-HMAC","AccessKeyId":"ASIAIMDS","SecretAccessKey":"imds-secret","Token":"imds-token","Expiration":"\#(expiry)"}"#.utf8))
            }
        }
        defer { Task { await server.shutdown(gracePeriod: .seconds(1)) } }
        let chain = CredentialsChain(
            environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:\(server.port)", "HOME": try temporaryDirectory()],
            region: "us-west-2")
        #expect(chain.configuredSource == nil)
        let credentials = try await chain.credentials()
        #expect(credentials.accessKeyId == "ASIAIMDS")
        #expect(credentials.sessionToken == "imds-token")
        #expect(credentials.expiration != nil)
        _ = try await chain.credentials()
        #expect(tokenRequests.withLock { $0 } == 1)
    }

    @Test func listsWhyEverySourceFailedWhenNoneWorks() async throws {
        let chain = CredentialsChain(
            environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:1", "HOME": try temporaryDirectory()], region: "us-west-2")
        await #expect { try await chain.credentials() } throws: { error in
            let text = "\(error)"
            return text.contains("environment") && text.contains("shared files") && text.contains("instance metadata")
        }
    }

    private func startServer(_ build: (inout HTTPRouterBuilder) -> Void) throws -> HTTPServer {
        var router = HTTPRouterBuilder()
        build(&router)
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        let server = HTTPServer(configuration: configuration, responder: router.build())
        try server.start()
        return server
    }

    private func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "bpg-credentials-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
