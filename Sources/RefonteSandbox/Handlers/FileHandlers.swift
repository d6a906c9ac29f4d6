import GRDB
import RefonteAPI

/// `files.import`: the sandbox records the file without fetching it.
enum FileHandlers {
    static let all: KeyValuePairs<String, OperationHandler> = ["files.import": importFile]

    static let mimeTypes: [String: String] = [
        "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "gif": "image/gif",
        "webp": "image/webp",
        "pdf": "application/pdf", "txt": "text/plain", "csv": "text/csv", "json": "application/json",
        "mp4": "video/mp4", "mov": "video/quicktime", "mp3": "audio/mpeg", "wav": "audio/wav",
    ]

    static func importFile(_ request: OperationRequest, _ store: SandboxStore) async throws -> [UInt8] {
        let operation = request.operationID
        let fileURL = try request.arguments.requiredString("file_url")
        let projectName = try request.arguments.string("project_name")
        let path = fileURL.split(separator: "?").first.map(String.init) ?? fileURL
        let fileName = path.split(separator: "/").last.map(String.init) ?? "file"
        let ext =
            fileName.split(separator: ".").count > 1
            ? String(fileName.split(separator: ".").last!).lowercased() : ""
        let mime = mimeTypes[ext] ?? "application/octet-stream"
        // No download happens; the size is a stable stand-in derived from the URL.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in fileURL.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let size = Int64(1024 + hash % 4_000_000)
        let id = RandomID.make()
        let attachmentURL = "https://sandbox.refonte.local/files/\(id)/\(fileName)"
        let (tenant, now) = (request.tenant.id, request.now)
        return try await store.write(tenant: tenant, touching: .work) { db in
            var projects: [String] = []
            if let projectName {
                projects.append(
                    try Projects.require(db, tenant: tenant, projectName, operation: operation).name
                )
            }
            try db.run(
                """
                INSERT INTO imported_file (public_id, tenant_id, file_url, attachment_url, created_at, mime_type, size,
                    project_names) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    id, tenant, fileURL, attachmentURL, now.milliseconds, mime, size,
                    JSONValue.array(projects.map(JSONValue.string)).canonicalText,
                ]
            )
            var w = JSONWriter(capacity: 256)
            w.beginObject()
            w.field("id", id)
            w.field("attachment_url", attachmentURL)
            w.field("created_at", now.iso8601)
            w.field("mime_type", mime)
            w.field("size", Int(size))
            w.field("project_names", strings: projects)
            w.endObject()
            return w.bytes
        }
    }
}
