// Kept with JSONOutput (see its first line): 5x faster than JSONEncoder per body, measured 2026-12-02.
import TasksDomain

/// A value the service sends as a JSON body. Keys are written in alphabetical order, so a body is byte-for-byte
/// stable, and optional fields are written as `null`, never left out, so clients see one shape.
protocol JSONWritable {
    func write(to json: inout JSONOutput)
}

extension TaskRecord: JSONWritable {
    func write(to json: inout JSONOutput) {
        json.beginObject()
        json.key("created_at")
        json.string(createdAt)
        json.key("description")
        json.string(description)
        json.key("done")
        json.bool(done)
        json.key("due_date")
        json.string(dueDate?.description)
        json.key("id")
        json.uuid(id)
        json.key("title")
        json.string(title)
        json.key("updated_at")
        json.string(updatedAt)
        json.endObject()
    }
}

extension TaskPage: JSONWritable {
    func write(to json: inout JSONOutput) {
        json.beginObject()
        json.key("items")
        json.beginArray()
        for item in items {
            item.write(to: &json)
        }
        json.endArray()
        json.key("next_cursor")
        json.string(nextCursor?.token)
        json.endObject()
    }
}
