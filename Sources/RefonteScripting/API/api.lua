-- Lua helpers over the bound operations (LuaChunk.api): error-returning calls and lazy page
-- iterators. APIExtension.swift installs it.
local paged, start_walk, next_arguments = ...
local refonte = refonte

-- refonte.try(fn, ...) calls fn and returns its results, or nil and the error value,
-- for scripts that prefer `local r, err = ...` to pcall.
function refonte.try(fn, ...)
  if type(fn) ~= "function" then
    error("refonte.try: argument #1 (fn) must be a function such as refonte.teams.list, got "
      .. type(fn), 2)
  end
  local results = table.pack(pcall(fn, ...))
  if results[1] then return table.unpack(results, 2, results.n) end
  return nil, results[2]
end

-- For each paginated `<group>.list`, `<group>.iter(args)` yields the items of page after
-- page, fetching the next page only when the loop gets to it, and stops after `limit`
-- items when it is given (`page_size` is the list's page size).
for _, id in ipairs(paged) do
  local group = refonte
  for name in id:gmatch("[^.]+") do
    if name ~= "list" then group = group[name] end
  end
  local list = group.list
  group.iter = function(args)
    if args ~= nil and type(args) ~= "table" then
      error("refonte." .. id:gsub("%.list$", ".iter") .. ": takes a table of named arguments, got "
        .. type(args), 2)
    end
    local pending, left = start_walk(id, args)
    local page, index = nil, 0
    return function()
      while left ~= 0 do
        if page then
          index = index + 1
          local item = page.docs[index]
          if item ~= nil then
            if left then left = left - 1 end
            return item
          end
          pending, page = next_arguments(id, pending, page, left), nil
        end
        if pending == nil then return nil end
        page, index = list(pending), 0
      end
      return nil
    end
  end
end
