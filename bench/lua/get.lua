-- GET the URL given on the command line, with the API headers (wrk sends one prepared request).
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "common.lua")
