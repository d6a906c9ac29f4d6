import Foundation
import Quantities
import RefonteAPI

/// How far one `refonte.map` has got, and the words and figures every form of progress shows.
struct ProgressSnapshot {
    var map: Int
    var label: String
    var total: Int
    var done: Int
    var failed: Int
    var elapsed: Duration

    var seconds: Double {
        Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    /// Items finished per second since the map started.
    var rate: Double { seconds > 0.001 ? Double(done) / seconds : 0 }

    /// Seconds until the last item, at the rate so far; nil before the first item.
    var remainingSeconds: Double? {
        guard rate > 0 else { return nil }
        return Double(total - done) / rate
    }

    var percent: Int { total > 0 ? done * 100 / total : 100 }

    var rateText: String {
        rate < 10 ? String(format: "%.1f/s", rate) : "\(Int(rate.rounded()))/s"
    }

    var remainingText: String {
        guard let remainingSeconds else { return "?" }
        if remainingSeconds < 1 { return "<1s" }
        return DurationText.format(.seconds(Int64(remainingSeconds.rounded())))
    }

    var failedText: String { failed == 0 ? "" : failed == 1 ? "1 failed" : "\(failed) failed" }

    /// `inviting [=====>    ] 812/2000 40% 96/s ETA 12s 3 failed`, cut to `columns`.
    func bar(columns: Int) -> String {
        let label = Self.cut(label, to: 30)
        var right = " \(done)/\(total) \(percent)% \(rateText) ETA \(remainingText)"
        if failed > 0 { right += " " + failedText }
        let room = columns - 1 - label.count - right.count - 3
        guard room >= 10 else { return Self.cut(label + right, to: max(columns - 1, 1)) }
        let width = min(room, 40)
        let filled = total > 0 ? width * done / total : width
        let body =
            String(repeating: "=", count: filled)
            + (filled < width ? ">" + String(repeating: " ", count: width - filled - 1) : "")
        return label + " [" + body + "]" + right
    }

    /// `inviting: 812/2000 (40%), 96/s, about 12s left, 3 failed`: the line for a pipe or a log.
    var line: String {
        var parts = ["\(done)/\(total) (\(percent)%)", rateText, "about \(remainingText) left"]
        if failed > 0 { parts.append(failedText) }
        return "\(label): " + parts.joined(separator: ", ") + "\n"
    }

    /// `inviting: 2000/2000 done in 21s (95/s), 3 failed`.
    var finalLine: String {
        var text = "\(label): \(done)/\(total) done in \(DurationText.format(elapsed)) (\(rateText))"
        if failed > 0 { text += ", " + failedText }
        if done < total { text += ", \(total - done) not started" }
        return text + "\n"
    }

    /// One JSON line: `{"event":"progress","map":1,"label":…,"total":…,"done":…,"failed":…,
    /// "elapsed":…,"rate":…,"eta":…}`.
    func json(event: String) -> String {
        let eta: JSONValue = remainingSeconds.map { .double(Self.rounded($0)) } ?? .null
        return JSONValue.object([
            "event": .string(event),
            "map": .integer(Int64(map)),
            "label": .string(label),
            "total": .integer(Int64(total)),
            "done": .integer(Int64(done)),
            "failed": .integer(Int64(failed)),
            "elapsed": .double(Self.rounded(seconds)),
            "rate": .double(Self.rounded(rate)),
            "eta": event == "done" ? .null : eta,
        ]).jsonText + "\n"
    }

    private static func rounded(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }

    private static func cut(_ text: String, to length: Int) -> String {
        text.count <= length ? text : String(text.prefix(max(length - 1, 0))) + "…"
    }
}
