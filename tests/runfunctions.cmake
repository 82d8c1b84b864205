# Runs the test functions of a Qt Test executable that belong to one environment, found at test time
# from `EXECUTABLE -functions`, so a new function runs without anyone editing CMake:
#
#   cmake -DEXECUTABLE=<executable> [-DMATCH=<regex>] [-DNOT_MATCH=<regex>] -P runfunctions.cmake
#
# A function runs if its name matches MATCH (when given) and does not match NOT_MATCH (when given).
# A selection that finds no function fails: running the executable without names would run them all.
#
#   cmake -DEXECUTABLE=<executable> -DREGISTRATIONS=<name=MATCH=NOT_MATCH;...> -DMODE=check -P runfunctions.cmake
#
# checks, without running anything, that every function is selected by exactly one registration
# and that each registration selects at least one.
cmake_minimum_required(VERSION 3.16) # empty list elements (an empty MATCH) are kept

if(NOT EXECUTABLE)
    message(FATAL_ERROR "runfunctions.cmake: -DEXECUTABLE=<executable> is required")
endif()

execute_process(COMMAND "${EXECUTABLE}" -functions
    OUTPUT_VARIABLE listing RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${EXECUTABLE} -functions failed (${rc}): ${err}")
endif()
string(REGEX MATCHALL "[A-Za-z_][A-Za-z0-9_]*\\(\\)" calls "${listing}")
set(functions)
foreach(call IN LISTS calls)
    string(REPLACE "()" "" name "${call}")
    list(APPEND functions "${name}")
endforeach()
if(NOT functions)
    message(FATAL_ERROR "${EXECUTABLE} -functions listed no test function:\n${listing}")
endif()

# Sets ${out} to the functions that `match` and `notMatch` (either may be empty) select.
function(md_select out match notMatch)
    set(selected)
    foreach(name IN LISTS functions)
        if(match AND NOT name MATCHES "${match}")
            continue()
        endif()
        if(notMatch AND name MATCHES "${notMatch}")
            continue()
        endif()
        list(APPEND selected "${name}")
    endforeach()
    set(${out} "${selected}" PARENT_SCOPE)
endfunction()

if(MODE STREQUAL "check")
    # REGISTRATIONS is a list of name=MATCH=NOT_MATCH triples (no ';' or '=' inside a regex).
    set(problems)
    foreach(registration IN LISTS REGISTRATIONS)
        string(REPLACE "=" ";" parts "${registration}")
        list(LENGTH parts n)
        if(NOT n EQUAL 3)
            message(FATAL_ERROR "runfunctions.cmake: '${registration}' is not name=MATCH=NOT_MATCH")
        endif()
        list(GET parts 0 label)
        list(GET parts 1 match)
        list(GET parts 2 notMatch)
        md_select(selected "${match}" "${notMatch}")
        if(NOT selected)
            list(APPEND problems "registration ${label} selects no function")
        endif()
        foreach(name IN LISTS selected)
            list(APPEND owners_${name} "${label}")
        endforeach()
    endforeach()
    foreach(name IN LISTS functions)
        list(LENGTH owners_${name} count)
        if(NOT count EQUAL 1)
            list(APPEND problems "${name} runs in ${count} registrations (${owners_${name}})")
        endif()
    endforeach()
    if(problems)
        string(REPLACE ";" "\n  " problems "${problems}")
        message(FATAL_ERROR "${EXECUTABLE}:\n  ${problems}")
    endif()
    list(LENGTH functions total)
    message(STATUS "${EXECUTABLE}: each of the ${total} test functions runs in exactly one registration")
    return()
endif()

md_select(selected "${MATCH}" "${NOT_MATCH}")
if(NOT selected)
    message(FATAL_ERROR "${EXECUTABLE}: no test function matches '${MATCH}' (excluding '${NOT_MATCH}')")
endif()
execute_process(COMMAND "${EXECUTABLE}" ${selected} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${EXECUTABLE} ${selected}: exit code ${rc}")
endif()
