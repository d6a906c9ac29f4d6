extension Catalog {
    static let files: [Operation] = [
        Operation(
            id: "files.import",
            method: .post,
            path: "/files/import",
            parameters: [
                Parameter(
                    "file_url",
                    in: .body,
                    .url(schemes: ["http", "https", "s3"]),
                    required: true,
                    doc: "URL of the file to import."
                ),
                Parameter("project_name", in: .body, .string, doc: "Project to attach the file to."),
            ],
            mutates: true,
            // A repeat imports a second copy.
            retry: .never,
            summary: "Import a file by URL.",
            returns: "FileImport {id, attachment_url, created_at, mime_type, size, project_names}",
            response: .model("FileImport")
        )
    ]
}
