import Foundation

/// One result row with typed accessors; a column of an unexpected type reads as nil.
struct SQLRow: Sendable {
    var values: [SQLValue]

    func string(_ index: Int) -> String? {
        guard index < values.count else { return nil }
        switch values[index] {
        case .text(let text): return text
        case .integer(let number): return String(number)
        case .real(let number): return String(number)
        case .null: return nil
        }
    }

    func int64(_ index: Int) -> Int64? {
        guard index < values.count else { return nil }
        switch values[index] {
        case .integer(let number): return number
        case .text(let text): return Int64(text)
        case .real(let number): return number.isFinite ? Int64(number) : nil
        case .null: return nil
        }
    }

    func int(_ index: Int) -> Int? { int64(index).map { Int($0) } }

    func date(_ index: Int) -> Date? { string(index).flatMap(StoreTime.parse) }

    func decimal(_ index: Int) -> Decimal? {
        guard index < values.count else { return nil }
        switch values[index] {
        case .text(let text): return Decimal(string: text)
        case .integer(let number): return Decimal(number)
        case .real(let number): return Decimal(string: String(format: "%.2f", number))
        case .null: return nil
        }
    }
}
