import RefonteAPI

/// Builds a JSON response straight into bytes, keys in the order written.
///
/// Responses are written field by field instead of through `JSONValue` or `Codable` because the
/// read path is hot: a team list is serialised thousands of times per second under the bench.
/// Free-form values (metadata, params) are stored as canonical JSON text and spliced in raw.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    /// One flag per open container: true until its first element is written.
    private var firstInContainer: [Bool] = []

    init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        firstInContainer.append(true)
    }

    mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        firstInContainer.removeLast()
    }

    mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        firstInContainer.append(true)
    }

    mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        firstInContainer.removeLast()
    }

    /// Writes `"name":`; the value written next belongs to it.
    mutating func key(_ name: String) {
        separate()
        appendQuoted(name)
        bytes.append(UInt8(ascii: ":"))
        pendingValue = true
    }

    mutating func string(_ value: String) {
        separate()
        appendQuoted(value)
    }

    mutating func optionalString(_ value: String?) {
        if let value { string(value) } else { null() }
    }

    mutating func integer(_ value: Int64) {
        separate()
        bytes.append(contentsOf: String(value).utf8)
    }

    mutating func integer(_ value: Int) { integer(Int64(value)) }

    mutating func double(_ value: Double) {
        separate()
        if !JSONText.appendNumber(value, to: &bytes) { bytes.append(contentsOf: "null".utf8) }
    }

    mutating func bool(_ value: Bool) {
        separate()
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    mutating func null() {
        separate()
        bytes.append(contentsOf: "null".utf8)
    }

    /// Splices already-encoded JSON (a stored metadata object) in as one value.
    mutating func raw(_ json: String) {
        separate()
        bytes.append(contentsOf: json.utf8)
    }

    mutating func raw(_ json: [UInt8]) {
        separate()
        bytes.append(contentsOf: json)
    }

    mutating func value(_ value: JSONValue) {
        switch value {
        case .null: null()
        case .bool(let b): bool(b)
        case .integer(let i): integer(i)
        case .double(let d): double(d)
        case .string(let s): string(s)
        case .array(let items):
            beginArray()
            for item in items { self.value(item) }
            endArray()
        case .object(let fields):
            beginObject()
            for name in fields.keys.sorted() {
                key(name)
                self.value(fields[name]!)
            }
            endObject()
        }
    }

    mutating func field(_ name: String, _ value: String) {
        key(name)
        string(value)
    }

    mutating func field(_ name: String, _ value: String?) {
        key(name)
        optionalString(value)
    }

    mutating func field(_ name: String, _ value: Bool) {
        key(name)
        bool(value)
    }

    mutating func field(_ name: String, _ value: Int) {
        key(name)
        integer(value)
    }

    mutating func field(_ name: String, strings: [String]) {
        key(name)
        beginArray()
        for item in strings { string(item) }
        endArray()
    }

    // MARK: - Separators

    /// Set between a key and its value, so the value does not get a comma of its own.
    private var pendingValue = false

    private mutating func separate() {
        if pendingValue {
            pendingValue = false
            return
        }
        guard !firstInContainer.isEmpty else { return }
        if firstInContainer[firstInContainer.count - 1] {
            firstInContainer[firstInContainer.count - 1] = false
        } else {
            bytes.append(UInt8(ascii: ","))
        }
    }

    private mutating func appendQuoted(_ text: String) {
        JSONText.appendQuoted(text, to: &bytes)
    }
}

extension JSONValue {
    /// Canonical JSON text (sorted keys), the form in which free-form values are stored.
    var canonicalText: String {
        var writer = JSONWriter(capacity: 64)
        writer.value(self)
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}
