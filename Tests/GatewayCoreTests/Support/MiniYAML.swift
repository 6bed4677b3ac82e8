import Foundation
import GatewayCore

/// A parser for the block-style YAML subset `controller-gen` writes (block mappings and sequences,
/// `|-` literal blocks, quoted and plain scalars, `{}`/`[]`), so the schema test can read the real CRD
/// before the YAML module is on main. It produces the same ``ConfigurationTree`` the YAML module will.
enum MiniYAML {
    struct Line {
        var indent: Int
        var text: Substring
    }

    static func parse(_ text: String) -> ConfigurationTree {
        var lines: [Line] = []
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let indent = raw.prefix { $0 == " " }.count
            let body = raw.dropFirst(indent)
            if body.hasPrefix("---") && indent == 0 { continue }
            lines.append(Line(indent: indent, text: body))
        }
        var index = 0
        skipBlank(lines, &index)
        guard index < lines.count else { return .null }
        return parseBlock(lines, &index, indent: lines[index].indent)
    }

    private static func skipBlank(_ lines: [Line], _ index: inout Int) {
        while index < lines.count, lines[index].text.isEmpty || lines[index].text.hasPrefix("#") { index += 1 }
    }

    private static func parseBlock(_ lines: [Line], _ index: inout Int, indent: Int) -> ConfigurationTree {
        skipBlank(lines, &index)
        guard index < lines.count else { return .null }
        if lines[index].text.hasPrefix("- ") || lines[index].text == "-" {
            return parseSequence(lines, &index, indent: indent)
        }
        return parseMapping(lines, &index, indent: indent)
    }

    private static func parseSequence(_ lines: [Line], _ index: inout Int, indent: Int) -> ConfigurationTree {
        var items: [ConfigurationTree] = []
        while true {
            skipBlank(lines, &index)
            guard index < lines.count, lines[index].indent == indent,
                lines[index].text.hasPrefix("- ") || lines[index].text == "-"
            else { break }
            let rest = lines[index].text.dropFirst(2)
            if rest.isEmpty {
                index += 1
                items.append(parseBlock(lines, &index, indent: lines[min(index, lines.count - 1)].indent))
            } else if splitKey(rest) != nil {
                // "- key: value" starts a mapping whose keys sit at indent + 2.
                items.append(parseMapping(lines, &index, indent: indent + 2, firstText: rest))
            } else {
                items.append(scalar(rest))
                index += 1
            }
        }
        return .sequence(items)
    }

    private static func parseMapping(
        _ lines: [Line], _ index: inout Int, indent: Int, firstText: Substring? = nil
    ) -> ConfigurationTree {
        var mapping: [String: ConfigurationTree] = [:]
        var pending = firstText
        while true {
            if pending == nil { skipBlank(lines, &index) }
            guard index < lines.count else { break }
            // The first key of a "- key: value" item shares the dash's line.
            let line = pending.map { Line(indent: indent, text: $0) } ?? lines[index]
            pending = nil
            guard line.indent == indent, let (key, value) = splitKey(line.text) else { break }
            index += 1
            if value == "|-" || value == "|" || value == ">-" || value == ">" {
                var parts: [Substring] = []
                var blockIndent: Int?
                while index < lines.count {
                    let l = lines[index]
                    if l.text.isEmpty {
                        parts.append("")
                        index += 1
                        continue
                    }
                    if l.indent <= indent { break }
                    if blockIndent == nil { blockIndent = l.indent }
                    parts.append(Substring(String(repeating: " ", count: max(0, l.indent - blockIndent!))) + l.text)
                    index += 1
                }
                while parts.last?.isEmpty == true { parts.removeLast() }
                mapping[key] = .scalar(parts.joined(separator: "\n"))
            } else if value.isEmpty {
                skipBlank(lines, &index)
                if index < lines.count, lines[index].indent > indent
                    || (lines[index].indent == indent && lines[index].text.hasPrefix("- "))
                {
                    mapping[key] = parseBlock(lines, &index, indent: lines[index].indent)
                } else {
                    mapping[key] = .null
                }
            } else {
                var text = String(value)
                // Plain multi-line scalars continue on deeper-indented lines.
                while index < lines.count, lines[index].indent > indent, !lines[index].text.isEmpty {
                    text += " " + lines[index].text
                    index += 1
                }
                mapping[key] = scalar(Substring(text))
            }
        }
        return .mapping(mapping)
    }

    private static func splitKey(_ text: Substring) -> (String, Substring)? {
        var key: Substring
        var rest: Substring
        if text.first == "'" || text.first == "\"" {
            let quote = text.first!
            guard let end = text.dropFirst().firstIndex(of: quote) else { return nil }
            key = text[text.index(after: text.startIndex)..<end]
            rest = text[text.index(after: end)...]
            guard rest.hasPrefix(":") else { return nil }
            rest = rest.dropFirst()
        } else {
            guard let colon = text.range(of: ": ") ?? (text.hasSuffix(":") ? text.index(before: text.endIndex)..<text.endIndex : nil)
            else { return nil }
            key = text[..<colon.lowerBound]
            rest = text[colon.upperBound...]
            if key.contains(" ") && !key.hasPrefix("x-") { return nil }
        }
        return (String(key), rest.drop { $0 == " " })
    }

    private static func scalar(_ text: Substring) -> ConfigurationTree {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t == "{}" { return .mapping([:]) }
        if t == "[]" { return .sequence([]) }
        if t == "null" || t == "~" { return .null }
        if t.count >= 2, t.first == "'", t.last == "'" {
            return .scalar(String(t.dropFirst().dropLast()).replacingOccurrences(of: "''", with: "'"))
        }
        if t.count >= 2, t.first == "\"", t.last == "\"" {
            return .scalar(String(t.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"")
                .replacingOccurrences(of: "\\\\", with: "\\"))
        }
        return .scalar(t)
    }
}
