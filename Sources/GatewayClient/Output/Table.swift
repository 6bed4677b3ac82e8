/// A plain-text table sized to a width: columns as wide as their widest cell, two spaces apart.
/// When that is too wide, the columns marked `shrinkable` give way first (down to 8 characters),
/// then columns with a `dropOrder` are left out (the highest first), then the others shrink, the
/// first column (the id a user copies) last; cut cells end in `…`.
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
        /// May be left out of a narrow table; higher numbers go first. Nil: always shown.
        public var dropOrder: Int?
        public init(_ header: String, shrinkable: Bool = false, dropOrder: Int? = nil) {
            self.header = header
            self.shrinkable = shrinkable
            self.dropOrder = dropOrder
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
        // An optional column with nothing in it (no job has a message) is left out at any width.
        let empty = Set(columns.indices.filter { index in columns[index].dropOrder != nil && cells.allSatisfy { $0[index].isEmpty } })
        var shown = columns.indices.filter { !empty.contains($0) }
        if let width {
            shown = fit(&widths, shown: shown, into: width)
        }
        var output = ""
        for line in [columns.map(\.header)] + cells {
            var text = ""
            for (position, index) in shown.enumerated() {
                let cell = Self.cut(line[index], to: widths[index])
                text += cell
                if position < shown.count - 1 {
                    text += String(repeating: " ", count: widths[index] - cell.count + Self.gap)
                }
            }
            while text.last == " " { text.removeLast() }
            if let width, text.count > width { text = Self.cut(text, to: width) }
            output += text + "\n"
        }
        return output
    }

    /// Narrows `widths` and returns the columns still shown, in order.
    private func fit(_ widths: inout [Int], shown visible: [Int], into width: Int) -> [Int] {
        var shown = visible
        func total() -> Int { shown.map { widths[$0] }.reduce(0, +) + Self.gap * max(0, shown.count - 1) }
        func shrink(_ allowed: (Int) -> Bool, floor: (Int) -> Int) {
            while total() > width {
                guard let widest = shown.filter({ allowed($0) && widths[$0] > floor($0) }).max(by: { widths[$0] < widths[$1] })
                else { return }
                widths[widest] -= 1
            }
        }
        shrink({ columns[$0].shrinkable }, floor: { _ in Self.minimumShrinkable })
        let droppable = shown.filter { columns[$0].dropOrder != nil }.sorted { columns[$0].dropOrder! > columns[$1].dropOrder! }
        for index in droppable where total() > width {
            shown.removeAll { $0 == index }
        }
        shrink({ $0 != shown.first }, floor: { _ in Self.minimumOther })
        shrink({ _ in true }, floor: { _ in Self.minimumOther })
        return shown
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
