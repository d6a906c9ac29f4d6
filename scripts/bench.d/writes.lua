-- The writes an onboarding makes, N of them, some at once: invites, assignments, group
-- changes and task creates, a quarter each. scripts/bench runs it against a sandbox that fails
-- on purpose; the CLI tests run it small and check that every effect is there exactly once.
--
--   refonte run scripts/bench.d/writes.lua -- N TAG [CONCURRENCY]
--
-- TAG makes the run's emails, group and task instructions unique: TAG-0001@example.com, ...
local n = math.tointeger(tonumber(arg[1] or "20")) or error("N must be a whole number")
local tag = arg[2] or error("usage: writes.lua N TAG [CONCURRENCY]")
local concurrency = math.tointeger(tonumber(arg[3] or "8"))
local project, group = "Street Scenes", tag .. " group"
local people = n // 4

local function email(i) return string.format("%s-%04d@example.com", tag, i) end

-- Runs work(1..count), at most `concurrency` at a time.
local function each(count, work)
  local next_index, workers = 0, {}
  for w = 1, math.min(concurrency, count) do
    workers[w] = spawn(function()
      while next_index < count do
        next_index = next_index + 1
        work(next_index)
      end
    end)
  end
  for _, worker in ipairs(workers) do worker:wait() end
end

-- The first person opens the group; everyone else joins it.
local first = email(1)
refonte.teams.invite { emails = { first }, role = "labeler" }
refonte.studio.assignments.add { emails = { first }, projects = { project } }
refonte.studio.groups.create { project = project, name = group, emails = { first } }

each(people - 1, function(i)
  local who = email(i + 1)
  refonte.teams.invite { emails = { who }, role = "labeler" }
  refonte.studio.assignments.add { emails = { who }, projects = { project } }
  refonte.studio.groups.update { project = project, group = group, add_emails = { who } }
end)

each(n - 3 * people, function(i)
  refonte.tasks.create {
    type = "imageannotation", project = project, instruction = string.format("%s task %d", tag, i),
    attachment_type = "image", attachment = "https://assets.example.com/" .. tag .. "/" .. i .. ".jpg",
  }
end)

print(string.format("%d writes: %d invites, %d assignments, %d group changes, %d task creates",
  3 * people + (n - 3 * people), people, people, people, n - 3 * people))
