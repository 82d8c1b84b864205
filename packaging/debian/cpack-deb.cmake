# CPack settings for the Debian package. Included by packaging/CMakeLists.txt just before include(CPack).

set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "migrationdesk")
set(CPACK_PACKAGE_VENDOR "The MigrationDesk developers")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_CONTACT "The MigrationDesk developers <maintainers@migrationdesk.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "PostgreSQL schema migrations, the Alembic way, for DBAs")
set(CPACK_PACKAGE_HOMEPAGE_URL "https://github.com/migrationdesk/migrationdesk")
# No CPACK_PACKAGING_INSTALL_PREFIX: the DEB generator defaults to /usr whatever CMAKE_INSTALL_PREFIX is,
# and setting it would also move the source tarball's contents under usr/.
# The default build type keeps debug info; a package ships stripped binaries.
set(CPACK_STRIP_FILES ON)
# Directories CPack creates itself would otherwise follow the builder's umask.
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)

set(CPACK_DEBIAN_PACKAGE_NAME "migrationdesk")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CPACK_PACKAGE_CONTACT}")
set(CPACK_DEBIAN_PACKAGE_SECTION "database")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${CPACK_PACKAGE_HOMEPAGE_URL}")
set(CPACK_DEBIAN_COMPRESSION_TYPE "xz")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# The long description only: CPack puts CPACK_PACKAGE_DESCRIPTION_SUMMARY in front as the synopsis line.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
"MigrationDesk is a Qt desktop application and a command-line tool
(migrationdesk-cli) for PostgreSQL schema migrations. It keeps Alembic's
version table, revision graph and commands, and adds advisory locking, a
recorded history of every run, pg_dump backups before changes, drift
detection and safe non-transactional migrations.
.
A local sandbox database (--sandbox) lets a newcomer try it without any
PostgreSQL setup; it needs the postgresql server package.")

# Linked libraries (Qt, QtKeychain, libc...) come from dpkg-shlibdeps.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# What is loaded at run time and so invisible to dpkg-shlibdeps: libpq (app/db/libpqlazy.cpp loads it on
# first use), the QPSQL plug-in, the Secret Service library QtKeychain dlopens, pg_dump for backups, and
# Qt's own translations (qtbase_ko.qm).
# CPack appends these to the shlibdeps list.
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "libpq5 (>= 14), libqt6sql6-psql, libsecret-1-0, postgresql-client, qt6-translations-l10n")
# The sandbox needs initdb/pg_ctl; the keychain needs a Secret Service provider. Both are optional.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "postgresql, gnome-keyring")
# The Korean interface needs a Hangul font; a Korean desktop has one already, an English one may not.
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "fonts-noto-cjk | fonts-nanum")

# `make package_source`: the tree without build output or VCS data.
set(CPACK_SOURCE_GENERATOR "TXZ")
set(CPACK_SOURCE_PACKAGE_FILE_NAME "migrationdesk-${PROJECT_VERSION}")
set(CPACK_SOURCE_IGNORE_FILES "/[.]git/" "/build[^/]*/" "/[.]cache/" "~$")
