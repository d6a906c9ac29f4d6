import Quantities
import Testing

@Suite struct DurationTextTests {
    @Test func parsesEveryUnitAndBareSeconds() {
        #expect(DurationText.parse("500ms") == .milliseconds(500))
        #expect(DurationText.parse("2s") == .seconds(2))
        #expect(DurationText.parse(" 1.5m ") == .seconds(90))
        #expect(DurationText.parse("1h") == .seconds(3600))
        #expect(DurationText.parse("30") == .seconds(30))
        #expect(DurationText.parse("1.5S") == .milliseconds(1500))
    }

    @Test(arguments: [
        "", "s", "-1s", "0s", "0", "1 fortnight", "1e3s", "1.2.3s", "ms", ".5s", "5.s", "infs", "nan",
    ])
    func refusesWhatIsNotAPositiveDuration(text: String) {
        #expect(DurationText.parse(text) == nil)
    }

    @Test func formatsAsAPersonWrites() {
        #expect(DurationText.format(.seconds(60)) == "1m")
        #expect(DurationText.format(.milliseconds(1500)) == "1.5s")
        #expect(DurationText.format(.milliseconds(1890)) == "1.89s")
        #expect(DurationText.format(.milliseconds(2050)) == "2.05s")
        #expect(DurationText.format(.seconds(1.8901316833786832)) == "1.89s")
        #expect(DurationText.format(.milliseconds(250)) == "250ms")
        #expect(DurationText.format(.microseconds(2500)) == "3ms")
        #expect(DurationText.format(.seconds(5400)) == "1h30m")
        #expect(DurationText.format(.seconds(125)) == "2m5s")
        #expect(DurationText.format(.seconds(3601)) == "1h1s")
    }

    @Test func parsesTheSumsItWrites() {
        #expect(DurationText.parse("1h30m") == .seconds(5400))
        #expect(DurationText.parse("2m5s") == .seconds(125))
        #expect(DurationText.parse("1m0.5s") == .milliseconds(60500))
        #expect(DurationText.parse("1h 30m") == nil)
        #expect(DurationText.parse("30mh") == nil)
    }

    @Test(arguments: ["500ms", "2s", "90s", "1500ms", "1h30m", "2m5s", "1.89s", "6h"])
    func formatReadsBack(text: String) throws {
        let duration = try #require(DurationText.parse(text))
        #expect(DurationText.parse(DurationText.format(duration)) == duration)
    }
}

@Suite struct ByteCountTextTests {
    @Test func parsesDecimalAndBinaryUnits() {
        #expect(ByteCountText.parse("64MB") == 64_000_000)
        #expect(ByteCountText.parse("1GiB") == 1 << 30)
        #expect(ByteCountText.parse("512kib") == 512 * 1024)
        #expect(ByteCountText.parse("1000B") == 1000)
        #expect(ByteCountText.parse("1.5KB") == 1500)
    }

    @Test(arguments: ["", "64", "MB", "-1MB", "0MB", "1.5B", "lots", "1e3MB"])
    func refusesWhatIsNotASize(text: String) {
        #expect(ByteCountText.parse(text) == nil)
    }

    @Test func formatsWithTheLargestExactUnit() {
        #expect(ByteCountText.format(64_000_000) == "64MB")
        #expect(ByteCountText.format(1 << 30) == "1GiB")
        #expect(ByteCountText.format(8 << 20) == "8MiB")
        #expect(ByteCountText.format(1500) == "1500 bytes")
        #expect(ByteCountText.parse(ByteCountText.format(256 << 20)) == 256 << 20)
    }
}
