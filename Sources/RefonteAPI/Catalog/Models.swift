/// The contract's Objects section, field by field. A field without `?` in the contract is
/// required; `next_token` and the fields whose create-time argument is optional can be `null`.
enum Models {
    static let all: [ResponseModel] = [
        ResponseModel(
            "Teammate",
            doc: "A member of the team.",
            .object([
                ResponseField("email", .string),
                ResponseField("role", .enumeration(Catalog.teammateRoles)),
                ResponseField("firstName", .string, required: false),
                ResponseField("lastName", .string, required: false),
                ResponseField("company", .string, required: false),
                ResponseField("isStudioLabeler", .boolean),
                ResponseField("disableRapidEmails", .boolean, required: false),
                ResponseField(
                    "expiry",
                    .dateTime,
                    required: false,
                    doc: "When the invitation lapses; `invited` only."
                ),
            ])
        ),
        ResponseModel(
            "Assignments",
            doc: "Each active teammate's email mapped to the Studio projects it is assigned to.",
            .map(.array(.string))
        ),
        ResponseModel(
            "ProjectGroup",
            doc: "A labeler group of a Studio project.",
            .object([
                ResponseField("id", .string),
                ResponseField("name", .string),
                ResponseField("numWorkers", .integer),
                ResponseField("isSingleton", .boolean),
                ResponseField(
                    "workers",
                    .array(.object([ResponseField("id", .string), ResponseField("email", .string)]))
                ),
            ])
        ),
        ResponseModel(
            "StudioBatch",
            doc: "A pending batch as Studio schedules it.",
            .object([
                ResponseField("id", .string),
                ResponseField("name", .string),
                ResponseField("projectId", .string),
                ResponseField("projectName", .string),
                ResponseField("batchType", .enumeration(["Production", "Calibration"])),
                ResponseField("studioPriority", .integer),
                ResponseField("total", .integer),
                ResponseField("completed", .integer),
                ResponseField("groups", .array(.string), doc: "Group names and single emails."),
            ])
        ),
        ResponseModel(
            "Project",
            doc: "A project.",
            .object([
                ResponseField("name", .string),
                ResponseField("type", .enumeration(Catalog.taskTypes)),
                ResponseField("created_at", .dateTime),
                ResponseField("studio", .boolean),
                ResponseField("rapid", .boolean),
                ResponseField(
                    "pipeline",
                    .nullable(.enumeration(Catalog.pipelines)),
                    doc: "Studio projects only; null otherwise."
                ),
                ResponseField(
                    "consensus_attempts",
                    .nullable(.integer),
                    doc: "With the `consensus_task` pipeline; null otherwise."
                ),
                ResponseField("archived", .boolean),
                ResponseField(
                    "param_history",
                    .array(
                        .object(
                            [
                                ResponseField("version", .integer),
                                ResponseField("created_at", .dateTime),
                                ResponseField("instruction", .string, required: false),
                            ],
                            additionalFields: true
                        )
                    ),
                    doc:
                        "Every version of the parameters, oldest first; each holds the parameters themselves."
                ),
            ])
        ),
        ResponseModel(
            "Batch",
            doc: "A batch of tasks.",
            .object([
                ResponseField("name", .string),
                ResponseField("project", .string),
                ResponseField("status", .enumeration(Catalog.batchStatuses)),
                ResponseField("created_at", .dateTime),
                ResponseField("callback", .nullable(.string)),
                ResponseField("calibration_batch", .boolean),
                ResponseField("self_label_batch", .boolean),
                ResponseField("metadata", .freeObject),
            ])
        ),
        ResponseModel(
            "BatchStatus",
            doc: "A batch's status and its task counts.",
            .object([
                ResponseField("status", .enumeration(Catalog.batchStatuses)),
                ResponseField("pending", .integer),
                ResponseField("completed", .integer),
                ResponseField("error", .integer),
                ResponseField("canceled", .integer),
            ])
        ),
        ResponseModel(
            "Task",
            doc: "A task.",
            .object([
                ResponseField("task_id", .string),
                ResponseField("type", .enumeration(Catalog.taskTypes)),
                ResponseField("status", .enumeration(Catalog.taskStatuses)),
                ResponseField("project", .string),
                ResponseField("batch", .nullable(.string)),
                ResponseField("created_at", .dateTime),
                ResponseField("updated_at", .dateTime),
                ResponseField("completed_at", .dateTime, required: false),
                ResponseField("instruction", .nullable(.string)),
                ResponseField("callback_url", .nullable(.string)),
                ResponseField("params", .freeObject, doc: "The task type's parameters given at creation."),
                ResponseField("metadata", .freeObject),
                ResponseField("unique_id", .string, required: false),
                ResponseField("tags", .array(.string), required: false),
                ResponseField(
                    "response",
                    .any,
                    required: false,
                    doc: "The labelers' answer, once completed."
                ),
            ])
        ),
        ResponseModel(
            "TrainingAttempt",
            doc: "A labeler's attempt at a quality (training) task.",
            .object([
                ResponseField("id", .string),
                ResponseField("labeler_email", .string),
                ResponseField("quality_task_id", .string),
                ResponseField("project", .string),
                ResponseField("score", .number),
                ResponseField("passed", .boolean),
                ResponseField("created_at", .dateTime),
            ])
        ),
        ResponseModel(
            "FileImport",
            doc: "An imported file.",
            .object([
                ResponseField("id", .string),
                ResponseField("attachment_url", .string),
                ResponseField("created_at", .dateTime),
                ResponseField("mime_type", .string),
                ResponseField("size", .integer),
                ResponseField("project_names", .array(.string)),
            ])
        ),
        ResponseModel(
            "SendTasksResult",
            doc: "What send_tasks_to_completed did.",
            .object([
                ResponseField("project", .string),
                ResponseField("batches", .array(.string)),
                ResponseField("tasks_completed", .integer),
            ])
        ),
        paginated("TaskList", of: "Task"),
        paginated("BatchList", of: "Batch", totalDocs: true),
        paginated("TrainingAttemptList", of: "TrainingAttempt"),
    ]

    static func paginated(_ name: String, of element: String, totalDocs: Bool = false) -> ResponseModel {
        var fields = [
            ResponseField("docs", .array(.model(element)), doc: "The items of this page."),
            ResponseField("total", .integer, doc: "Items across all pages."),
            ResponseField("limit", .integer),
            ResponseField("offset", .integer),
            ResponseField("has_more", .boolean),
            ResponseField(
                "next_token",
                .nullable(.string),
                doc: "Cursor of the next page; null on the last page."
            ),
        ]
        if totalDocs {
            fields.append(ResponseField("totalDocs", .integer, doc: "Same as `total`."))
        }
        return ResponseModel(name, doc: "A page of \(element) items.", .object(fields))
    }
}
