# The keychain environments of tst_passwordstore and tst_connectiondialog. include() this before the
# tests/gui glob and call md_add_keychain_tests() after it.
#
# A test function's name prefix says which environment it needs; the functions are found at test time
# (tests/runfunctions.cmake), so a new one runs without editing this file:
#   real...     a throwaway gnome-keyring on a private session bus (MD_KEYCHAIN_MODE=real)
#   hanging...  a bus socket that never answers (MD_KEYCHAIN_MODE=hang)
#   any other   no keychain at all: the plain tst_passwordstore / tst_connectiondialog entries
# tst_keychain_registrations checks that every function runs in exactly one of them.
set(MD_REAL_KEYCHAIN_FUNCTIONS "^real")
set(MD_HANGING_KEYCHAIN_FUNCTIONS "^hanging")
set(MD_OTHER_ENVIRONMENTS_tst_passwordstore "^(real|hanging)")
set(MD_OTHER_ENVIRONMENTS_tst_connectiondialog "^real")

# md_add_keychain_test(NAME TARGET MATCH): TARGET's functions matching MATCH against a throwaway
# gnome-keyring on a private session bus, unlocked with a fixed password. Its keyring files and control
# socket go to a temporary directory, never to the user's ~/.local/share/keyrings.
function(md_add_keychain_test name target match)
    add_test(NAME ${name}
        COMMAND dbus-run-session -- sh -c [[
d=$(mktemp -d) || exit 1
export XDG_DATA_HOME="$d" XDG_RUNTIME_DIR="$d"
printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null
"$0" "$@"
rc=$?
rm -rf "$d"
exit $rc]] ${CMAKE_COMMAND} -DEXECUTABLE=$<TARGET_FILE:${target}> "-DMATCH=${match}" -P ${MD_RUN_FUNCTIONS})
    set_tests_properties(${name} PROPERTIES
        ENVIRONMENT "QT_QPA_PLATFORM=offscreen;MD_KEYCHAIN_MODE=real" TIMEOUT 300)
endfunction()

function(md_add_keychain_tests)
    if(NOT TARGET tst_passwordstore OR NOT TARGET tst_connectiondialog)
        return()
    endif()
    md_add_keychain_test(tst_passwordstore_real tst_passwordstore "${MD_REAL_KEYCHAIN_FUNCTIONS}")

    # No keychain is the plain tst_passwordstore entry: the test points D-Bus at a socket that does
    # not exist, whatever bus the caller has (a bare dbus-run-session would not do: D-Bus
    # activation starts gnome-keyring on demand).

    # A keychain that never answers: the test listens on a bus socket and stays silent.
    add_test(NAME tst_passwordstore_hang COMMAND ${CMAKE_COMMAND} -DEXECUTABLE=$<TARGET_FILE:tst_passwordstore>
             "-DMATCH=${MD_HANGING_KEYCHAIN_FUNCTIONS}" -P ${MD_RUN_FUNCTIONS})
    set_tests_properties(tst_passwordstore_hang PROPERTIES
        ENVIRONMENT "QT_QPA_PLATFORM=offscreen;MD_KEYCHAIN_MODE=hang" TIMEOUT 120)

    # Remember password: stored on Connect, read back on load, moved on rename, deleted on uncheck
    # and with the profile.
    md_add_keychain_test(tst_connectiondialog_keychain tst_connectiondialog "${MD_REAL_KEYCHAIN_FUNCTIONS}")

    # The proof that the selections above and the plain entries split the functions exactly: each
    # one runs in one registration, and no registration is empty.
    set(S "$<SEMICOLON>")
    add_test(NAME tst_keychain_registrations_passwordstore
        COMMAND ${CMAKE_COMMAND} -DMODE=check -DEXECUTABLE=$<TARGET_FILE:tst_passwordstore>
        "-DREGISTRATIONS=tst_passwordstore==${MD_OTHER_ENVIRONMENTS_tst_passwordstore}${S}tst_passwordstore_real=${MD_REAL_KEYCHAIN_FUNCTIONS}=${S}tst_passwordstore_hang=${MD_HANGING_KEYCHAIN_FUNCTIONS}="
        -P ${MD_RUN_FUNCTIONS})
    add_test(NAME tst_keychain_registrations_connectiondialog
        COMMAND ${CMAKE_COMMAND} -DMODE=check -DEXECUTABLE=$<TARGET_FILE:tst_connectiondialog>
        "-DREGISTRATIONS=tst_connectiondialog==${MD_OTHER_ENVIRONMENTS_tst_connectiondialog}${S}tst_connectiondialog_keychain=${MD_REAL_KEYCHAIN_FUNCTIONS}="
        -P ${MD_RUN_FUNCTIONS})
    set_tests_properties(tst_keychain_registrations_passwordstore tst_keychain_registrations_connectiondialog
        PROPERTIES ENVIRONMENT "QT_QPA_PLATFORM=offscreen")
endfunction()
