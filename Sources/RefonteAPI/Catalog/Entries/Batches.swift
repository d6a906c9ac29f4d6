extension Catalog {
    static let batches: [Operation] = [
        Operation(
            id: "batches.create",
            method: .post,
            path: "/batches",
            parameters: [
                Parameter(
                    "project",
                    in: .body,
                    .string,
                    required: true,
                    doc: "Project the batch belongs to."
                ),
                Parameter("name", in: .body, .string, required: true, doc: "Unique name of the batch."),
                Parameter("callback", in: .body, .string, doc: "URL called when the batch completes."),
                Parameter("calibration_batch", in: .body, .boolean, doc: "A calibration batch (Studio)."),
                Parameter("self_label_batch", in: .body, .boolean, doc: "A self-label batch (Studio)."),
                Parameter("metadata", in: .body, .object, doc: "Free-form metadata."),
            ],
            mutates: true,
            // A repeat fails with 409: batch names are unique.
            retry: .idempotentByKey(
                Recovery(read: "batches.get", arguments: ["batch": "name"], pick: .whole)
            ),
            planned: .object(["status": .literal("staging")]),
            summary: "Create a batch in a project.",
            returns: "Batch",
            response: .model("Batch")
        ),
        Operation(
            id: "batches.get",
            method: .get,
            path: "/batches/{batch}",
            parameters: [batchPath()],
            mutates: false,
            summary: "Get a batch by name.",
            returns: "Batch",
            response: .model("Batch")
        ),
        Operation(
            id: "batches.status",
            method: .get,
            path: "/batches/{batch}/status",
            parameters: [batchPath()],
            mutates: false,
            summary: "Count a batch's tasks by status.",
            returns: "BatchStatus {status, pending, completed, error, canceled}",
            response: .model("BatchStatus")
        ),
        Operation(
            id: "batches.list",
            method: .get,
            path: "/batches",
            parameters: [
                Parameter("project", in: .query, .string, doc: "Only batches of this project."),
                Parameter(
                    "status",
                    in: .query,
                    .choice(BatchStatus.self),
                    doc: "Only batches in this status."
                ),
                Parameter("start_time", in: .query, .dateTime, doc: "Created at or after."),
                Parameter("end_time", in: .query, .dateTime, doc: "Created before."),
                Parameter(
                    "exclude_archived",
                    in: .query,
                    .boolean,
                    doc: "Leave out batches of archived projects."
                ),
                limit(),
                Parameter(
                    "offset",
                    in: .query,
                    .integer,
                    doc: "Number of batches to skip.",
                    minimum: 0,
                    default: .integer(0)
                ),
            ],
            mutates: false,
            pagination: .offset,
            summary: "List batches, newest first, a page at a time.",
            returns: "Paginated list of Batch (offset paging)",
            response: .model("BatchList")
        ),
        Operation(
            id: "batches.finalize",
            method: .post,
            path: "/batches/{batch}/finalize",
            parameters: [batchPath()],
            mutates: true,
            // Finalizing moves a batch from staging to in_progress once; a repeat finds it already
            // finalized and returns it unchanged, so a retry cannot do anything twice.
            retry: .idempotent,
            planned: .object(["name": .argument("batch"), "status": .literal("in_progress")]),
            summary: "Finalize a staging batch so that its tasks are worked on.",
            returns: "Batch",
            response: .model("Batch")
        ),
        Operation(
            id: "batches.set_metadata",
            method: .post,
            path: "/batches/{batch}/setMetadata",
            parameters: [
                batchPath(),
                Parameter(
                    "metadata",
                    in: .wholeBody,
                    .object,
                    required: true,
                    doc: "The new metadata (replaces)."
                ),
            ],
            mutates: true,
            retry: .idempotent,
            planned: .object(["name": .argument("batch")]),
            summary: "Replace the metadata of a batch.",
            returns: "Batch",
            response: .model("Batch")
        ),
    ]
}
