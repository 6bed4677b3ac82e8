import Foundation
import HTTPServing
import Testing

@testable import Gateway

/// A submission body must be UTF-8: bad bytes are refused with a 400 naming the problem, never
/// repaired into a value the client did not send.
struct RequestBodyEncodingTests {
    static let valid = #"{"applicationName":"é-app","mainApplicationFile":"s3a://b/app.py"}"#

    @Test(arguments: [
        ("lone continuation byte", [0x80]),
        ("truncated two-byte sequence", [0xC3]),
        ("overlong encoding of '/'", [0xC0, 0xAF]),
        ("surrogate half", [0xED, 0xA0, 0x80]),
        ("beyond U+10FFFF", [0xF4, 0x90, 0x80, 0x80]),
        ("byte 0xFF", [0xFF]),
    ] as [(String, [UInt8])])
    func invalidUTF8IsA400NamingTheOffset(_ name: String, bytes: [UInt8]) throws {
        // The bad bytes open the value of applicationName; the offset reported is theirs.
        var body = Array(#"{"applicationName":""#.utf8)
        let start = body.count
        body += bytes + Array(#"x","mainApplicationFile":"s3a://b/app.py"}"#.utf8)
        for contentType in ["application/json", "application/yaml"] {
            let error = #expect(throws: HTTPError.self) {
                _ = try RequestBodyParser.parse(body: Data(body), contentType: contentType)
            }
            #expect(error?.status == 400)
            #expect(error?.message == "Invalid request body: not valid UTF-8 (at byte \(start))", "\(name)")
        }
    }

    @Test func validUTF8StillParses() throws {
        #expect(RequestBodyParser.firstInvalidUTF8Offset(Data(Self.valid.utf8)) == nil)
        #expect(RequestBodyParser.firstInvalidUTF8Offset(Data("a😀b".utf8)) == nil)
        #expect(RequestBodyParser.firstInvalidUTF8Offset(Data([0x61, 0xE2, 0x82])) == 1)
    }
}
