/// A plain-text table sized to a width: columns as wide as their widest cell, two spaces apart;
/// when that is too wide, the columns marked `shrinkable` give way first, then the others (down to a
/// few characters), and cut cells end in `…`.
///
/// ```swift
/// var table = Table(columns: [.init("ID"), .init("NAME", shrinkable: true)])
/// table.rows.append(["a-1", "SparkPi"])
/// print(table.render(width: 80), terminator: "")
/// ```
public struct Table: Sendable, Equatable {
    public struct Column: Sendable, Equatable {
        public var header: String
        /// Gives way first when the table is too wide (free text: names, messages).
        public var shrinkable: Bool
        public init(_ header: String, shrinkable: Bool = false) {
            self.header = header
            self.shrinkable = shrinkable
        }
    }

    public var columns: [Column]
    public var rows: [[String]]

    public init(columns: [Column], rows: [[String]] = []) {
        self.columns = columns
        self.rows = rows
    }

    static let gap = 2
    static let minimumShrinkable = 8
    static let minimumOther = 4

    /// The table's lines, each ending in a newline and none wider than `width` (when given).
    public func render(width: Int?) -> String {
        let cells = rows.map { row in columns.indices.map { $0 < row.count ? Self.clean(row[$0]) : "" } }
        var widths = columns.indices.map { index in
            max(columns[index].header.count, cells.map { $0[index].count }.max() ?? 0)
        }
        if let width {
            fit(&widths, into: width)
        }
        var output = ""
        for line in [columns.map(\.header)] + cells {
            var text = ""
            for index in columns.indices {
                let cell = Self.cut(line[index], to: widths[index])
                text += cell
                if index < columns.count - 1 {
                    text += String(repeating: " ", count: widths[index] - cell.count + Self.gap)
                }
            }
            while text.last == " " { text.removeLast() }
            if let width, text.count > width { text = Self.cut(text, to: width) }
            output += text + "\n"
        }
        return output
    }

    private func fit(_ widths: inout [Int], into width: Int) {
        func total() -> Int { widths.reduce(0, +) + Self.gap * max(0, widths.count - 1) }
        for pass in 0..<2 {
            while total() > width {
                // Shrink the widest column still allowed to shrink in this pass.
                let candidates = widths.indices.filter { index in
                    let shrinkable = columns[index].shrinkable
                    let floor = shrinkable ? Self.minimumShrinkable : Self.minimumOther
                    return (pass == 1 || shrinkable) && widths[index] > max(floor, pass == 1 ? Self.minimumOther : floor)
                }
                guard let widest = candidates.max(by: { widths[$0] < widths[$1] }) else { break }
                widths[widest] -= 1
            }
        }
    }

    /// Control characters (a message's newlines) become spaces, so one row stays one line.
    static func clean(_ text: String) -> String {
        String(text.map { $0.isNewline || $0 == "\t" ? " " : $0 })
    }

    static func cut(_ text: String, to width: Int) -> String {
        guard text.count > width else { return text }
        guard width > 1 else { return String(text.prefix(width)) }
        return String(text.prefix(width - 1)) + "…"
    }
}
