import RefonteScripting
import Testing

@Suite struct LimitValuesTests {
    @Test func durations() {
        #expect(LimitValues.duration("500ms") == .milliseconds(500))
        #expect(LimitValues.duration("2s") == .seconds(2))
        #expect(LimitValues.duration("1.5m") == .seconds(90))
        #expect(LimitValues.duration("1h") == .seconds(3600))
        for bad in ["", "5", "s", "-1s", "0s", "1 fortnight", "1e3s", "1.2.3s", "ms"] {
            #expect(LimitValues.duration(bad) == nil, "\(bad)")
        }
    }

    @Test func sizes() {
        #expect(LimitValues.size("64MB") == 64_000_000)
        #expect(LimitValues.size("1GiB") == 1 << 30)
        #expect(LimitValues.size("512kib") == 512 * 1024)
        #expect(LimitValues.size("1000B") == 1000)
        #expect(LimitValues.size("1.5KB") == 1500)
        for bad in ["", "64", "MB", "-1MB", "0MB", "1.5B", "lots"] {
            #expect(LimitValues.size(bad) == nil, "\(bad)")
        }
    }
}
