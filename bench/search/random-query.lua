-- wrk script for bench/search.sh: GET a URL made from a template with "{}" replaced by a value picked
-- at random, per request, from a file of values (one per line), so that the run is not one hot query.
--
-- Usage: wrk ... -s bench/search/random-query.lua http://HOST:PORT -- VALUES_FILE TEMPLATE
--   e.g. TEMPLATE = /r4/Observation?patient={}&category=vital-signs
-- The requests are formatted once in init(): the per-request cost in wrk is one table lookup, which
-- matters on a small machine where wrk shares the cores with the server.
-- No response() callback: it would make wrk hand every body (tens of kB here) to Lua. wrk's own
-- "Non-2xx or 3xx responses" count is what bench/search.sh checks.

local thread_counter = 0

function setup(thread)
  thread_counter = thread_counter + 1
  thread:set("thread_index", thread_counter)
end

local requests = {}
local count = 0

function init(args)
  local values_file, template = args[1], args[2]
  if not values_file or not template then
    error("random-query.lua: pass VALUES_FILE TEMPLATE after --")
  end
  local f = assert(io.open(values_file, "r"))
  for v in f:lines() do
    if v ~= "" then
      count = count + 1
      local path = template:gsub("{}", (v:gsub("%%", "%%%%")))
      requests[count] = wrk.format("GET", path, { ["Accept"] = "application/fhir+json" })
    end
  end
  f:close()
  if count == 0 then
    error("random-query.lua: no values in " .. values_file)
  end
  math.randomseed(os.time() * 100 + (thread_index or 0))
end

function request()
  return requests[math.random(count)]
end
