-- Move a Studio project to the consensus pipeline with N attempts per task.
--
--   refonte run examples/move_to_consensus.lua -- "Street Signs" 3
local project = arg[1] or error("usage: move_to_consensus.lua PROJECT [ATTEMPTS]")
local attempts = math.tointeger(tonumber(arg[2] or "3"))
if not attempts or attempts < 1 then
  error("ATTEMPTS must be a whole number of at least 1, got " .. tostring(arg[2]))
end

local before = refonte.projects.get { project = project }
if not before.studio then
  error(string.format("%q is not a Studio project; only Studio projects have a pipeline", project))
end

local after = refonte.projects.update_pipeline_config {
  project = project, pipeline = "consensus_task", consensus_attempts = attempts,
}
print(string.format("%s: %s -> %s with %d attempts",
  project, tostring(before.pipeline), after.pipeline, after.consensus_attempts))
