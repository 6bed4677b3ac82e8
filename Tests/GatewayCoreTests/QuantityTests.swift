import GatewayCore
import Testing

struct QuantityTests {
    @Test(arguments: [
        ("500m", 500), ("1", 1000), ("1.5", 1500), ("2", 2000), ("1200m", 1200), ("0.1", 100), ("100u", 1),
        ("1k", 1_000_000), ("1Ki", 1_024_000), ("2Gi", 2_147_483_648_000), ("1e3", 1_000_000), ("+3", 3000),
        ("128M", 128_000_000_000),
    ] as [(String, Int64)])
    func parses(text: String, millis: Int64) throws {
        #expect(try Quantity(parsing: text).millis == millis)
    }

    @Test(arguments: ["", "m", "1.2.3", "-1", "1x", "1 m", "lots", "9999999999999999999", "1Ei0"])
    func rejects(text: String) {
        #expect(throws: QuantityError.self) { try Quantity(parsing: text) }
    }

    @Test func formats() throws {
        #expect(try Quantity(parsing: "500m").description == "500m")
        #expect(try Quantity(parsing: "2").description == "2")
        #expect(try Quantity(parsing: "2").millicoresString == "2000m")
        #expect(try Quantity(parsing: "500m").doubleValue == 0.5)
        #expect(try Quantity(parsing: "1500m").roundedUpUnits == 2)
        #expect(Quantity(units: 3).scaled(by: 1.5).millicoresString == "4500m")
    }

    @Test(arguments: [
        ("512m", 512 << 20), ("2g", 2 << 30), ("2G", 2 << 30), ("2Gi", 2 << 30), ("1.5g", 1536 << 20), ("1024k", 1 << 20),
        ("1t", 1 << 40), ("100mb", 100 << 20), ("7b", 7),
    ] as [(String, Int64)])
    func memorySizes(text: String, bytes: Int64) throws {
        #expect(try MemorySize(parsing: text).bytes == bytes)
    }

    @Test(arguments: ["2048", "", "g", "1.2.3g", "2x", "-1g"])
    func memorySizesNeedAUnitAndANumber(text: String) {
        #expect(throws: QuantityError.self) { try MemorySize(parsing: text) }
    }

    @Test(arguments: [("2g", "2g"), ("1.5g", "1536m"), ("512m", "512m"), ("1000k", "1m"), ("2Gi", "2g")])
    func sparkStrings(text: String, spark: String) throws {
        #expect(try MemorySize(parsing: text).sparkString == spark)
    }

    @Test func truncatedGibibytesMatchSparkByteStringAsGb() throws {
        #expect(try MemorySize(parsing: "512m").truncatedGibibytes == 0)
        #expect(try MemorySize(parsing: "2560m").truncatedGibibytes == 2)
    }
}
