import Foundation
import RefonteAPI
import TestHelpers
import Testing

/// `refonte.map`'s progress on standard error, as an operator sees it: a bar on a terminal (a
/// pseudo-terminal here), a plain line every 10 s in a pipe, JSON lines, or nothing.
@Suite("Progress of refonte.map")
struct ProgressTests {
    /// On a terminal: a bar with done/total, rate, ETA and failures, redrawn in place at most
    /// 10 times a second; log lines and prints land on lines of their own, with the bar drawn
    /// again below them; the bar gives way to a final line.
    @Test func aBarOnATerminalGivesWayToLogLinesAndPrints() async throws {
        let (environment, home) = try EmbeddedDefaultTests.freshEnvironment()
        defer { try? FileManager.default.removeItem(at: home) }
        let script = """
            local items = {}
            for i = 1, 30 do items[i] = i end
            refonte.map(items, function(n)
              sleep(80)
              if n % 5 == 0 then log.warn("checkpoint", { item = n }) end
              if n % 7 == 0 then print("printed " .. n) end
              if n % 10 == 0 then error("item " .. n .. " failed") end
            end, { concurrency = 2, label = "tasks" })
            """
        let output = try await PseudoTerminal.run(
            ["run", "--rate", "off", "-e", script],
            environment: environment
        )
        #expect(output.status == 0, "\(output.text)")
        let text = output.text
        let erase = "\r\u{1B}[2K"

        let draws = text.components(separatedBy: erase + "tasks [").count - 1
        #expect(draws >= 3, "the bar was drawn \(draws) times:\n\(text)")
        // At most 10 a second (one more for each log line or print that made it redraw).
        #expect(Double(draws) <= 10 * output.seconds + 6 + 5, "\(draws) draws in \(output.seconds) s")
        #expect(
            text.range(of: #"tasks \[=*>? *\] \d+/30 \d+% [0-9.]+/s ETA [^ ]+"#, options: .regularExpression)
                != nil,
            "\(text)"
        )
        #expect(
            text.range(of: #"/30 \d+% [0-9.]+/s ETA [^ \r]+ [123] failed"#, options: .regularExpression)
                != nil,
            "\(text)"
        )

        // Every log line and every print starts a line of its own: after a newline, or after
        // the bar was erased; never right after the bar's text.
        for marker in ["warn: checkpoint", "printed "] {
            var search = text.startIndex..<text.endIndex
            var seen = 0
            while let found = text.range(of: marker, range: search) {
                let before = text[text.startIndex..<found.lowerBound]
                #expect(
                    before.hasSuffix("\n") || before.hasSuffix(erase),
                    "\(marker) after: \(before.suffix(60).debugDescription)"
                )
                seen += 1
                search = found.upperBound..<text.endIndex
            }
            #expect(seen >= 4, "\(marker) seen \(seen) times")
        }
        #expect(text.contains("tasks: 30/30 done in"), "\(text)")
        #expect(text.contains(", 3 failed"), "\(text)")
        // The run ends with the bar gone: nothing is drawn after the final line.
        let tail = text[
            (text.range(of: "tasks: 30/30 done in", options: .backwards)?.upperBound ?? text.endIndex)...
        ]
        #expect(!tail.contains("tasks ["), "\(tail.debugDescription)")
    }

    /// In a pipe (auto): no escapes, a plain line every 10 s, and a final line.
    @Test func aPipeGetsAPlainLineEveryTenSeconds() async throws {
        let (environment, home) = try EmbeddedDefaultTests.freshEnvironment()
        defer { try? FileManager.default.removeItem(at: home) }
        let script = """
            local items = {}
            for i = 1, 12 do items[i] = i end
            local results = refonte.map(items, function(n) sleep(1000) return n end, { concurrency = 1, label = "slow" })
            print(#results)
            """
        let output = try await RunCLI.run(["run", "--rate", "off", "-e", script], environment: environment)
        #expect(output.status == 0, "\(output.standardError)")
        #expect(output.standardOutput == "12\n")
        let lines = output.standardError.split(separator: "\n").map(String.init)
        #expect(!output.standardError.contains("\u{1B}"), "\(output.standardError.debugDescription)")
        let periodic = lines.filter {
            $0.range(of: #"^slow: \d+/12 \(\d+%\), [0-9.]+/s, about \S+ left$"#, options: .regularExpression)
                != nil
        }
        #expect(periodic.count == 1, "\(lines)")
        #expect(lines.last?.hasPrefix("slow: 12/12 done in 12") == true, "\(lines)")
    }

    /// `--progress json`: one JSON object per line, from "start" to "done", with counts that
    /// only go up.
    @Test func jsonLinesFromStartToDone() async throws {
        let (environment, home) = try EmbeddedDefaultTests.freshEnvironment()
        defer { try? FileManager.default.removeItem(at: home) }
        let script = """
            local items = {}
            for i = 1, 40 do items[i] = i end
            refonte.map(items, function(n)
              sleep(20)
              if n % 8 == 0 then error("no") end
            end, { concurrency = 2, label = "json job" })
            """
        let output = try await RunCLI.run(
            ["run", "--rate", "off", "--progress", "json", "-e", script],
            environment: environment
        )
        #expect(output.status == 0, "\(output.standardError)")
        let events = try output.standardError.split(separator: "\n").map {
            try JSONValue.parse(Array($0.utf8))
        }
        #expect(events.first?.value(at: ["event"]) == "start")
        #expect(events.first?.value(at: ["total"]) == 40)
        #expect(events.last?.value(at: ["event"]) == "done")
        #expect(events.last?.value(at: ["done"]) == 40)
        #expect(events.last?.value(at: ["failed"]) == 5)
        #expect(events.last?.value(at: ["label"]) == "json job")
        let progress = events.filter { $0.value(at: ["event"]) == "progress" }
        #expect(progress.count >= 2, "\(output.standardError)")
        var previous: Int64 = 0
        for event in progress {
            guard case .integer(let done)? = event.value(at: ["done"]) else {
                Issue.record("no done in \(event)")
                continue
            }
            #expect(done >= previous)
            previous = done
            #expect(event.value(at: ["rate"]) != nil && event.value(at: ["eta"]) != nil)
        }
    }

    @Test func offShowsNothing() async throws {
        let (environment, home) = try EmbeddedDefaultTests.freshEnvironment()
        defer { try? FileManager.default.removeItem(at: home) }
        let script = "refonte.map({1, 2, 3}, function() sleep(150) end, { concurrency = 1 })"
        let output = try await PseudoTerminal.run(
            ["run", "--progress", "off", "-e", script],
            environment: environment
        )
        #expect(output.status == 0)
        #expect(!output.text.contains("refonte.map"), "\(output.text.debugDescription)")
    }

    @Test func aBadModeIsAUsageError() async throws {
        let (environment, home) = try EmbeddedDefaultTests.freshEnvironment()
        defer { try? FileManager.default.removeItem(at: home) }
        let output = try await RunCLI.run(
            ["run", "--progress", "bar", "-e", "print(1)"],
            environment: environment
        )
        #expect(output.status == 2)
        #expect(output.standardError.contains("--progress"), "\(output.standardError)")
    }
}
