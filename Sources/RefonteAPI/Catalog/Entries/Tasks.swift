extension Catalog {
    static let tasks: [Operation] = [
        Operation(
            id: "tasks.create",
            method: .post,
            path: "/task/{type}",
            parameters: [
                Parameter("type", in: .path, .choice(TaskType.self), required: true, doc: "Task type."),
                Parameter("project", in: .body, .string, required: true, doc: "Project of the task."),
                Parameter("batch", in: .body, .string, doc: "Batch of the task."),
                Parameter("instruction", in: .body, .string, doc: "Instructions for the labeler."),
                Parameter("callback_url", in: .body, .string, doc: "URL called when the task completes."),
                Parameter(
                    "attachment_type",
                    in: .body,
                    .string,
                    doc: "Kind of attachment (image, text, ...)."
                ),
                Parameter("attachment", in: .body, .string, doc: "URL or text of the attachment."),
                Parameter(
                    "unique_id",
                    in: .body,
                    .string,
                    doc: "Your id for the task; a second use is refused (409).",
                    nonEmpty: true
                ),
                Parameter("metadata", in: .body, .object, doc: "Free-form metadata."),
                Parameter("tags", in: .body, .array(.string), doc: "Tags of the task."),
            ],
            mutates: true,
            // A repeat creates a second task, or fails with 409 when `unique_id` is set: the
            // client derives one when the script gives none.
            retry: .idempotentByKey(
                Recovery(
                    read: "tasks.list",
                    arguments: ["unique_id": "unique_id"],
                    pick: .first(in: "docs"),
                    derivedKey: "unique_id"
                )
            ),
            planned: .object([
                "status": .literal("pending"), "params": .extraFields, "unique_id": .argument("unique_id"),
            ]),
            summary: "Create a task; any further argument is a parameter of the task type.",
            returns: "Task",
            allowsExtraBodyFields: true,
            response: .model("Task")
        ),
        Operation(
            id: "tasks.get",
            method: .get,
            path: "/task/{task_id}",
            parameters: [taskID()],
            mutates: false,
            summary: "Get a task by id.",
            returns: "Task",
            response: .model("Task")
        ),
        Operation(
            id: "tasks.list",
            method: .get,
            path: "/tasks",
            parameters: [
                Parameter("project", in: .query, .string, doc: "Only tasks of this project."),
                Parameter("batch", in: .query, .string, doc: "Only tasks of this batch."),
                Parameter(
                    "status",
                    in: .query,
                    .choice(TaskStatus.self),
                    doc: "Only tasks in this status."
                ),
                Parameter("type", in: .query, .choice(TaskType.self), doc: "Only tasks of this type."),
                Parameter("unique_id", in: .query, .array(.string), doc: "Only tasks with these unique ids."),
                Parameter("tags", in: .query, .array(.string), doc: "Only tasks with these tags."),
                Parameter(
                    "customer_review_status",
                    in: .query,
                    .string,
                    doc: "Only tasks with this review status."
                ),
                Parameter("start_time", in: .query, .dateTime, doc: "Created at or after."),
                Parameter("end_time", in: .query, .dateTime, doc: "Created before."),
                Parameter("updated_after", in: .query, .dateTime, doc: "Updated at or after."),
                Parameter("updated_before", in: .query, .dateTime, doc: "Updated before."),
                Parameter("completed_after", in: .query, .dateTime, doc: "Completed at or after."),
                Parameter("completed_before", in: .query, .dateTime, doc: "Completed before."),
                Parameter(
                    "include_attachment_url",
                    in: .query,
                    .boolean,
                    doc: "Include a signed URL of each attachment."
                ),
                Parameter("limited_response", in: .query, .boolean, doc: "Leave out the tasks' responses."),
                limit(),
                nextToken(),
            ],
            mutates: false,
            pagination: .cursor,
            summary: "List tasks, newest first, a page at a time.",
            returns: "Paginated list of Task (cursor paging)",
            response: .model("TaskList")
        ),
        Operation(
            id: "tasks.cancel",
            method: .post,
            path: "/task/{task_id}/cancel",
            parameters: [
                taskID(),
                Parameter(
                    "clear_unique_id",
                    in: .query,
                    .boolean,
                    doc: "Also clear the task's unique_id so that it can be used again."
                ),
            ],
            mutates: true,
            retry: .idempotent,
            planned: .object(["status": .literal("canceled")]),
            summary: "Cancel a pending task.",
            returns: "Task",
            response: .model("Task")
        ),
        Operation(
            id: "tasks.audit",
            method: .post,
            path: "/task/{task_id}/audit",
            parameters: [
                taskID(),
                Parameter(
                    "accepted",
                    in: .body,
                    .boolean,
                    required: true,
                    doc: "Accept (true) or reject the task."
                ),
                Parameter("comments", in: .body, .string, doc: "Comments for the labeler."),
            ],
            mutates: true,
            // Each call records one more audit on the task.
            retry: .never,
            summary: "Audit a completed task.",
            returns: "Task",
            response: .model("Task")
        ),
        Operation(
            id: "tasks.set_metadata",
            method: .post,
            path: "/task/{task_id}/setMetadata",
            parameters: [
                taskID(),
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
            summary: "Replace the metadata of a task.",
            returns: "Task",
            response: .model("Task")
        ),
        tagsOperation("set", .post, "Replace the tags of a task.", "The new tags."),
        tagsOperation("add", .put, "Add tags to a task.", "Tags to add."),
        tagsOperation("remove", .delete, "Remove tags from a task.", "Tags to remove."),
        Operation(
            id: "tasks.set_unique_id",
            method: .post,
            path: "/task/{task_id}/unique_id",
            parameters: [
                taskID(),
                Parameter("unique_id", in: .body, .string, required: true, doc: "The new unique id."),
            ],
            mutates: true,
            retry: .idempotent,
            summary: "Set the unique id of a task.",
            returns: "Task",
            response: .model("Task")
        ),
        Operation(
            id: "tasks.clear_unique_id",
            method: .delete,
            path: "/task/{task_id}/unique_id",
            parameters: [taskID()],
            mutates: true,
            retry: .idempotent,
            summary: "Clear the unique id of a task.",
            returns: "Task",
            response: .model("Task")
        ),
    ]

    static func taskID() -> Parameter {
        Parameter("task_id", in: .path, .string, required: true, doc: "Id of the task.")
    }

    private static func tagsOperation(
        _ verb: String,
        _ method: HTTPMethod,
        _ summary: String,
        _ doc: String
    ) -> Operation {
        Operation(
            id: "tasks.\(verb)_tags",
            method: method,
            path: "/task/{task_id}/tags",
            parameters: [
                taskID(),
                Parameter("tags", in: .wholeBody, .array(.string), required: true, doc: doc),
            ],
            mutates: true,
            retry: .idempotent,
            planned: verb == "set" ? .byName : .object(["tags": .unknown]),
            summary: summary,
            returns: "Task",
            response: .model("Task")
        )
    }
}
