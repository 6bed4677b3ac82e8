import Foundation
import Testing

@testable import KubeClient

struct LineBufferTests {
    private func lines(_ buffer: inout LineBuffer) throws -> [String] {
        var result: [String] = []
        while let line = try buffer.nextLine() { result.append(String(decoding: line, as: UTF8.self)) }
        return result
    }

    @Test func splitsLinesAcrossEveryPossibleChunkBoundary() throws {
        let text = #"{"type":"ADDED","object":{"a":1}}"# + "\n" + #"{"type":"DELETED"}"# + "\r\n\n" + "tail"
        let bytes = Array(text.utf8)
        for cut in 0...bytes.count {
            var buffer = LineBuffer(maxLineBytes: 1024)
            buffer.append(Data(bytes[..<cut]))
            var seen = try lines(&buffer)
            buffer.append(Data(bytes[cut...]))
            seen += try lines(&buffer)
            #expect(seen == [#"{"type":"ADDED","object":{"a":1}}"#, #"{"type":"DELETED"}"#], "cut at \(cut)")
            #expect(buffer.pendingBytes == 4, "the partial last line waits for its newline")
        }
    }

    @Test func byteByByteDeliveryYieldsTheSameLines() throws {
        var buffer = LineBuffer(maxLineBytes: 64)
        var seen: [String] = []
        for byte in "one\ntwo\nthree\n".utf8 {
            buffer.append(Data([byte]))
            seen += try lines(&buffer)
        }
        #expect(seen == ["one", "two", "three"])
        #expect(buffer.pendingBytes == 0)
    }

    @Test func aPartialLineOverTheBoundIsAnError() throws {
        var buffer = LineBuffer(maxLineBytes: 10)
        buffer.append(Data("0123456789".utf8))
        #expect(try buffer.nextLine() == nil)
        buffer.append(Data("A".utf8))
        #expect(throws: LineBuffer.LineTooLong.self) { try buffer.nextLine() }
    }

    @Test func aCompleteLineOverTheBoundIsAnError() {
        var buffer = LineBuffer(maxLineBytes: 4)
        buffer.append(Data("12345\nok\n".utf8))
        #expect(throws: LineBuffer.LineTooLong.self) { try buffer.nextLine() }
    }

    @Test func memoryStaysBoundedOverManyLines() throws {
        var buffer = LineBuffer(maxLineBytes: 100)
        let chunk = Data(String(repeating: "0123456789\n", count: 100).utf8)
        var count = 0
        for _ in 0..<1000 {
            buffer.append(chunk)
            count += try lines(&buffer).count
        }
        #expect(count == 100_000)
        #expect(buffer.pendingBytes == 0)
    }
}
