# The keychain tests in each keychain environment; include() this after the tests/gui glob.
# The plain `tst_passwordstore` and `tst_connectiondialog` entries from the glob run without a keychain.
#
# md_add_keychain_test(NAME TARGET): TARGET against a throwaway gnome-keyring on a private session bus,
# unlocked with a fixed password. Its keyring files and control socket go to a temporary directory,
# never to the user's ~/.local/share/keyrings.
function(md_add_keychain_test name target)
    set(functions ${ARGN})
    add_test(NAME ${name}
        COMMAND dbus-run-session -- sh -c [[
d=$(mktemp -d) || exit 1
export XDG_DATA_HOME="$d" XDG_RUNTIME_DIR="$d"
printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null
"$0" "$@"
rc=$?
rm -rf "$d"
exit $rc]] $<TARGET_FILE:${target}> ${functions})
    set_tests_properties(${name} PROPERTIES
        ENVIRONMENT "QT_QPA_PLATFORM=offscreen;MD_KEYCHAIN_MODE=real" TIMEOUT 300)
endfunction()

if(TARGET tst_passwordstore)
    md_add_keychain_test(tst_passwordstore_real tst_passwordstore
        timeoutIsSettable realStoreReadDelete realReadMissingKey realAvailabilityCheckStaysQuiet)

    # No keychain is the plain tst_passwordstore entry: the test points D-Bus at a socket that does
    # not exist, whatever bus the caller has (a bare dbus-run-session would not do: D-Bus
    # activation starts gnome-keyring on demand).

    # A keychain that never answers: the test listens on a bus socket and stays silent.
    add_test(NAME tst_passwordstore_hang COMMAND tst_passwordstore hangingKeychainTimesOut hangingKeychainDefaultMessage)
    set_tests_properties(tst_passwordstore_hang PROPERTIES
        ENVIRONMENT "QT_QPA_PLATFORM=offscreen;MD_KEYCHAIN_MODE=hang" TIMEOUT 120)
endif()

if(TARGET tst_connectiondialog)
    # Remember password: stored on Connect, read back on load, moved on rename, deleted on uncheck
    # and with the profile.
    md_add_keychain_test(tst_connectiondialog_keychain tst_connectiondialog rememberPasswordInKeychain)
endif()
