internal import CYAML

/// Owns one libyaml `yaml_parser_t` and the input bytes it reads, and hands out events.
///
/// Not `Sendable`: a libyaml parser is used from one thread at a time. The input is copied so that
/// the pointer libyaml keeps stays valid for the parser's whole life.
final class EventParser {
    private let parser: UnsafeMutablePointer<yaml_parser_t>
    private let input: UnsafeMutableBufferPointer<UInt8>
    private var finished = false

    init(bytes: some Collection<UInt8>) throws {
        input = .allocate(capacity: max(bytes.count, 1))
        _ = input.initialize(from: bytes)
        parser = .allocate(capacity: 1)
        guard yaml_parser_initialize(parser) != 0 else {
            parser.deallocate()
            input.deallocate()
            throw YAMLError(.syntax, at: .unknown, "yaml_parser_initialize failed: out of memory")
        }
        yaml_parser_set_input_string(parser, input.baseAddress, bytes.count)
    }

    deinit {
        yaml_parser_delete(parser)
        parser.deallocate()
        input.deallocate()
    }

    /// The next event; `.streamEnd` once the input is exhausted.
    func next() throws -> YAMLEvent {
        if finished { return .streamEnd }
        var event = yaml_event_t()
        guard yaml_parser_parse(parser, &event) != 0 else {
            throw parserError()
        }
        defer { yaml_event_delete(&event) }
        let mark = YAMLMark(event.start_mark)
        switch event.type {
        case YAML_STREAM_START_EVENT:
            return .streamStart
        case YAML_STREAM_END_EVENT:
            finished = true
            return .streamEnd
        case YAML_DOCUMENT_START_EVENT:
            return .documentStart(mark)
        case YAML_DOCUMENT_END_EVENT:
            return .documentEnd(mark)
        case YAML_ALIAS_EVENT:
            return .alias(anchor: string(event.data.alias.anchor) ?? "", mark: mark)
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            let value =
                scalar.value.map {
                    String(decoding: UnsafeBufferPointer(start: $0, count: scalar.length), as: UTF8.self)
                } ?? ""
            return .scalar(
                value: value, anchor: string(scalar.anchor), tag: string(scalar.tag), style: style(scalar.style),
                mark: mark)
        case YAML_SEQUENCE_START_EVENT:
            let start = event.data.sequence_start
            return .sequenceStart(anchor: string(start.anchor), tag: string(start.tag), mark: mark)
        case YAML_SEQUENCE_END_EVENT:
            return .sequenceEnd(mark)
        case YAML_MAPPING_START_EVENT:
            let start = event.data.mapping_start
            return .mappingStart(anchor: string(start.anchor), tag: string(start.tag), mark: mark)
        case YAML_MAPPING_END_EVENT:
            return .mappingEnd(mark)
        default:
            // YAML_NO_EVENT is never returned by a successful yaml_parser_parse.
            throw YAMLError(.syntax, at: mark, "yaml_parser_parse returned an empty event")
        }
    }

    private func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    private func style(_ style: yaml_scalar_style_t) -> YAMLScalar.Style {
        switch style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: .literal
        case YAML_FOLDED_SCALAR_STYLE: .folded
        default: .plain
        }
    }

    /// Turns libyaml's error fields into a positioned `YAMLError`.
    private func parserError() -> YAMLError {
        let state = parser.pointee
        let problem = state.problem.map { String(cString: $0) } ?? "unknown problem"
        switch state.error {
        case YAML_READER_ERROR:
            // Reader errors (bad encoding, control characters) carry a byte offset, not a mark.
            var message = "invalid input: \(problem)"
            if state.problem_value != -1 { message += " (#\(String(state.problem_value, radix: 16, uppercase: true)))" }
            return YAMLError(.syntax, at: mark(ofOffset: state.problem_offset), message)
        case YAML_MEMORY_ERROR:
            return YAMLError(.syntax, at: .unknown, "yaml_parser_parse failed: out of memory")
        default:
            var message = problem
            if let context = state.context.map({ String(cString: $0) }) {
                message = "\(problem) \(context) (started at \(YAMLMark(state.context_mark)))"
            }
            return YAMLError(.syntax, at: YAMLMark(state.problem_mark), message)
        }
    }

    /// The line and column of a byte offset in UTF-8 input (reader errors only carry offsets).
    private func mark(ofOffset offset: Int) -> YAMLMark {
        var line = 1
        var column = 1
        for byte in input.prefix(min(offset, input.count)) {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return YAMLMark(line: line, column: column)
    }
}

extension YAMLMark {
    /// Converts libyaml's 0-based mark.
    init(_ mark: yaml_mark_t) {
        self.init(line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }
}
