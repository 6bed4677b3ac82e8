import Foundation

/// The one text form of times in both databases: UTC `YYYY-MM-DD HH:MM:SS[.ffffff]`.
///
/// MySQL `TIMESTAMP`/`DATETIME` accept and return it (the session time zone is `+00:00`), and in
/// SQLite it sorts in time order as text.
enum StoreTime {
    /// Drops the fraction of a second, as BPG's `TIMESTAMP` columns do.
    static func truncated(_ date: Date) -> Date {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
    }

    /// Whole seconds, for BPG's `TIMESTAMP` columns.
    static func seconds(_ date: Date) -> String {
        format(microseconds: Int64(date.timeIntervalSince1970.rounded(.down)) * 1_000_000, fraction: false)
    }

    /// Microseconds, for the gateway's `DATETIME(6)` columns.
    static func micros(_ date: Date) -> String {
        format(microseconds: microseconds(date), fraction: true)
    }

    static func microseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1_000_000).rounded(.down))
    }

    static func date(microseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(microseconds) / 1_000_000)
    }

    private static func format(microseconds: Int64, fraction: Bool) -> String {
        let seconds = microseconds >= 0 ? microseconds / 1_000_000 : (microseconds - 999_999) / 1_000_000
        let micros = Int(microseconds - seconds * 1_000_000)
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        // Written digit by digit: this runs several times per store operation, and
        // `String(format:)` costs more than the rest of the formatting together.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(26)
        func append(_ value: Int, digits: Int) {
            var divisor = 1
            for _ in 1..<digits { divisor *= 10 }
            var rest = value
            while divisor > 0 {
                bytes.append(UInt8(48 + (rest / divisor) % 10))
                rest %= divisor
                divisor /= 10
            }
        }
        append(Int(parts.tm_year) + 1900, digits: 4)
        bytes.append(UInt8(ascii: "-"))
        append(Int(parts.tm_mon) + 1, digits: 2)
        bytes.append(UInt8(ascii: "-"))
        append(Int(parts.tm_mday), digits: 2)
        bytes.append(UInt8(ascii: " "))
        append(Int(parts.tm_hour), digits: 2)
        bytes.append(UInt8(ascii: ":"))
        append(Int(parts.tm_min), digits: 2)
        bytes.append(UInt8(ascii: ":"))
        append(Int(parts.tm_sec), digits: 2)
        if fraction {
            bytes.append(UInt8(ascii: "."))
            append(micros, digits: 6)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Parses the text form (with or without a fraction, `T` or space separated); nil if malformed.
    static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 19 else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let byte = bytes[index]
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19)
        else { return nil }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        let seconds = Int64(timegm(&parts))
        var micros: Int64 = 0
        if bytes.count > 20, bytes[19] == UInt8(ascii: ".") {
            var digits = 0
            for index in 20..<bytes.count where digits < 6 {
                let byte = bytes[index]
                guard byte >= 48, byte <= 57 else { break }
                micros = micros * 10 + Int64(byte - 48)
                digits += 1
            }
            for _ in digits..<6 { micros *= 10 }
        }
        return date(microseconds: seconds * 1_000_000 + micros)
    }
}
