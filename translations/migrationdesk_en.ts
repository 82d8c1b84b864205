<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>AlembicExporter</name>
    <message>
        <source>the Alembic export helper is missing from this build</source>
        <translation>the Alembic export helper is missing from this build</translation>
    </message>
    <message>
        <source>%1: cannot be started (%2)</source>
        <translation>%1: cannot be started (%2)</translation>
    </message>
    <message>
        <source>%1 did not finish reading the Alembic project within %2 s</source>
        <translation>%1 did not finish reading the Alembic project within %2 s</translation>
    </message>
    <message>
        <source>%1: cannot import alembic</source>
        <translation>%1: cannot import alembic</translation>
    </message>
    <message>
        <source>%1 failed reading the Alembic project (exit code %2):
%3</source>
        <translation>%1 failed reading the Alembic project (exit code %2):
%3</translation>
    </message>
    <message>
        <source>No Python interpreter that can import alembic was found. Tried:
  %1
Point at the interpreter of the virtualenv that runs your alembic, for example --python /path/to/venv/bin/python, or put that virtualenv&apos;s bin folder first on PATH.</source>
        <translation>No Python interpreter that can import alembic was found. Tried:
  %1
Point at the interpreter of the virtualenv that runs your alembic, for example --python /path/to/venv/bin/python, or put that virtualenv&apos;s bin folder first on PATH.</translation>
    </message>
    <message>
        <source>The import was cancelled.</source>
        <translation>The import was cancelled.</translation>
    </message>
</context>
<context>
    <name>AlembicProject</name>
    <message>
        <source>the Alembic export helper printed something unexpected: %1</source>
        <translation>the Alembic export helper printed something unexpected: %1</translation>
    </message>
    <message>
        <source>no revision list</source>
        <translation>no revision list</translation>
    </message>
</context>
<context>
    <name>AlembicScriptWriter</name>
    <message>
        <source>revision id &apos;%1&apos; (%2) cannot be carried over: MigrationDesk ids are 1 to 32 characters of [0-9a-z_]</source>
        <translation>revision id &apos;%1&apos; (%2) cannot be carried over: MigrationDesk ids are 1 to 32 characters of [0-9a-z_]</translation>
    </message>
    <message>
        <source>branch label or dependency &apos;%1&apos; of revision %2 (%3) contains &apos;@&apos;, &apos;,&apos; or a space</source>
        <translation>branch label or dependency &apos;%1&apos; of revision %2 (%3) contains &apos;@&apos;, &apos;,&apos; or a space</translation>
    </message>
    <message>
        <source>%1 already holds .sql scripts; import into an empty folder</source>
        <translation>%1 already holds .sql scripts; import into an empty folder</translation>
    </message>
    <message>
        <source>cannot create the folder %1</source>
        <translation>cannot create the folder %1</translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation>cannot write %1: %2</translation>
    </message>
</context>
<context>
    <name>Bookkeeping</name>
    <message>
        <source>no schema of the search_path (%1) exists, so there is no schema for the version table %2; name one with --version-table schema.table</source>
        <translation>no schema of the search_path (%1) exists, so there is no schema for the version table %2; name one with --version-table schema.table</translation>
    </message>
    <message>
        <source>Online migration expected to match one row when updating &apos;%1&apos; to &apos;%2&apos; in version table %3; %4 found</source>
        <translation>Online migration expected to match one row when updating &apos;%1&apos; to &apos;%2&apos; in version table %3; %4 found</translation>
    </message>
    <message>
        <source>Online migration expected to match one row when deleting &apos;%1&apos; from version table %2; %3 found</source>
        <translation>Online migration expected to match one row when deleting &apos;%1&apos; from version table %2; %3 found</translation>
    </message>
    <message>
        <source>Online migration expected to insert one row &apos;%1&apos; into version table %2; %3 inserted</source>
        <translation>Online migration expected to insert one row &apos;%1&apos; into version table %2; %3 inserted</translation>
    </message>
</context>
<context>
    <name>ConnectionSettings</name>
    <message>
        <source>If the user name or password contains special characters (@ : / ? # %), percent-encode them, for example @ as %40, : as %3A and / as %2F.</source>
        <translation>If the user name or password contains special characters (@ : / ? # %), percent-encode them, for example @ as %40, : as %3A and / as %2F.</translation>
    </message>
    <message>
        <source>Several hosts in one URL are not supported; give a single host.</source>
        <translation>Several hosts in one URL are not supported; give a single host.</translation>
    </message>
    <message>
        <source>The port parameter &quot;%1&quot; is not a number between 1 and 65535.</source>
        <translation>The port parameter &quot;%1&quot; is not a number between 1 and 65535.</translation>
    </message>
    <message>
        <source>client_encoding=%1 is not supported: MigrationDesk always talks UTF8 to the server.</source>
        <translation>client_encoding=%1 is not supported: MigrationDesk always talks UTF8 to the server.</translation>
    </message>
    <message>
        <source>The replication parameter is not allowed: a replication connection cannot run migrations.</source>
        <translation>The replication parameter is not allowed: a replication connection cannot run migrations.</translation>
    </message>
    <message>
        <source>The sslpassword parameter is not supported; use an unencrypted client key file or a service file instead.</source>
        <translation>The sslpassword parameter is not supported; use an unencrypted client key file or a service file instead.</translation>
    </message>
    <message>
        <source>Unknown connection parameter &quot;%1&quot;. Supported parameters: %2.</source>
        <translation>Unknown connection parameter &quot;%1&quot;. Supported parameters: %2.</translation>
    </message>
    <message>
        <source>Not a database URL. Expected postgresql://user:password@host:port/database.</source>
        <translation>Not a database URL. Expected postgresql://user:password@host:port/database.</translation>
    </message>
    <message>
        <source>Unsupported URL scheme &quot;%1&quot;: use postgresql://, postgres:// or postgresql+&lt;driver&gt;://.</source>
        <translation>Unsupported URL scheme &quot;%1&quot;: use postgresql://, postgres:// or postgresql+&lt;driver&gt;://.</translation>
    </message>
    <message>
        <source>The URL contains &apos;#&apos;, which would cut it short.</source>
        <translation>The URL contains &apos;#&apos;, which would cut it short.</translation>
    </message>
    <message>
        <source>The URL contains spaces; percent-encode them as %20.</source>
        <translation>The URL contains spaces; percent-encode them as %20.</translation>
    </message>
    <message>
        <source>The user name or password in the URL has a malformed %-escape.</source>
        <translation>The user name or password in the URL has a malformed %-escape.</translation>
    </message>
    <message>
        <source>The IPv6 address in the URL is malformed; write it as [::1]:5432.</source>
        <translation>The IPv6 address in the URL is malformed; write it as [::1]:5432.</translation>
    </message>
    <message>
        <source>Put IPv6 addresses in brackets, for example postgresql://user@[::1]:5432/db.</source>
        <translation>Put IPv6 addresses in brackets, for example postgresql://user@[::1]:5432/db.</translation>
    </message>
    <message>
        <source>The host name in the URL has a malformed %-escape.</source>
        <translation>The host name in the URL has a malformed %-escape.</translation>
    </message>
    <message>
        <source>The port in the URL is not a number between 1 and 65535.</source>
        <translation>The port in the URL is not a number between 1 and 65535.</translation>
    </message>
    <message>
        <source>The database name in the URL contains &apos;@&apos;.</source>
        <translation>The database name in the URL contains &apos;@&apos;.</translation>
    </message>
    <message>
        <source>The database name in the URL has a malformed %-escape.</source>
        <translation>The database name in the URL has a malformed %-escape.</translation>
    </message>
    <message>
        <source>Malformed URL query parameter; expected key=value pairs joined by &amp;.</source>
        <translation>Malformed URL query parameter; expected key=value pairs joined by &amp;.</translation>
    </message>
    <message>
        <source>The value of the URL parameter &quot;%1&quot; has a malformed %-escape.</source>
        <translation>The value of the URL parameter &quot;%1&quot; has a malformed %-escape.</translation>
    </message>
    <message>
        <source>POSTGRES_PORT=%1 is not a number between 1 and 65535.</source>
        <translation>POSTGRES_PORT=%1 is not a number between 1 and 65535.</translation>
    </message>
    <message>
        <source>The port %1 is not between 1 and 65535.</source>
        <translation>The port %1 is not between 1 and 65535.</translation>
    </message>
    <message>
        <source>sslmode &quot;%1&quot; is not one of %2.</source>
        <translation>sslmode &quot;%1&quot; is not one of %2.</translation>
    </message>
    <message>
        <source>Connection settings cannot contain NUL characters.</source>
        <translation>Connection settings cannot contain NUL characters.</translation>
    </message>
    <message>
        <source>The value of %1 cannot contain &apos;;&apos; (the Qt PostgreSQL driver treats it as a separator).</source>
        <translation>The value of %1 cannot contain &apos;;&apos; (the Qt PostgreSQL driver treats it as a separator).</translation>
    </message>
    <message>
        <source>Unknown or unsupported connection option &quot;%1&quot;. Supported options: %2.</source>
        <translation>Unknown or unsupported connection option &quot;%1&quot;. Supported options: %2.</translation>
    </message>
    <message>
        <source>connect_timeout &quot;%1&quot; is not a number of seconds.</source>
        <translation>connect_timeout &quot;%1&quot; is not a number of seconds.</translation>
    </message>
</context>
<context>
    <name>DemoData</name>
    <message>
        <source>Not connected to a database.</source>
        <translation>Not connected to a database.</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Cancelled.</translation>
    </message>
    <message>
        <source>The numbers of employees and schedules cannot be negative.</source>
        <translation>The numbers of employees and schedules cannot be negative.</translation>
    </message>
    <message>
        <source>The deleted ratio must be between 0 and 1.</source>
        <translation>The deleted ratio must be between 0 and 1.</translation>
    </message>
    <message>
        <source>The connection is already inside a transaction.</source>
        <translation>The connection is already inside a transaction.</translation>
    </message>
    <message>
        <source>Could not read the version table: %1</source>
        <translation>Could not read the version table: %1</translation>
    </message>
    <message>
        <source>The database is not at head (it is at %1; head is %2). Run &apos;upgrade head&apos; first; nothing was added.</source>
        <translation>The database is not at head (it is at %1; head is %2). Run &apos;upgrade head&apos; first; nothing was added.</translation>
    </message>
    <message>
        <source>Adding employees failed: %1</source>
        <translation>Adding employees failed: %1</translation>
    </message>
    <message>
        <source>Schedules need employees: there are none; add some with --employees.</source>
        <translation>Schedules need employees: there are none; add some with --employees.</translation>
    </message>
    <message>
        <source>Adding schedules failed: %1</source>
        <translation>Adding schedules failed: %1</translation>
    </message>
    <message>
        <source>Could not commit: %1</source>
        <translation>Could not commit: %1</translation>
    </message>
    <message>
        <source>The rows were added, but ANALYZE failed: %1</source>
        <translation>The rows were added, but ANALYZE failed: %1</translation>
    </message>
    <message>
        <source>Could not read the sizes of the tables: %1</source>
        <translation>Could not read the sizes of the tables: %1</translation>
    </message>
    <message>
        <source>Rebuilding the indexes and foreign keys failed: %1</source>
        <translation>Rebuilding the indexes and foreign keys failed: %1</translation>
    </message>
    <message>
        <source>At most %L1 employees and %L2 schedules can be added in one run.</source>
        <translation>At most %L1 employees and %L2 schedules can be added in one run.</translation>
    </message>
    <message>
        <source>The new ids would pass %L1, the largest id the employees and schedules tables hold.</source>
        <translation>The new ids would pass %L1, the largest id the employees and schedules tables hold.</translation>
    </message>
</context>
<context>
    <name>DriftCheck</name>
    <message>
        <source>revision %1 is in the database but missing from the scripts</source>
        <translation>revision %1 is in the database but missing from the scripts</translation>
    </message>
    <message>
        <source>script %1 of applied revision %2 was edited after it was applied (SHA-256 then %3, now %4)</source>
        <translation>script %1 of applied revision %2 was edited after it was applied (SHA-256 then %3, now %4)</translation>
    </message>
    <message>
        <source>No schema snapshot has been recorded for this database yet, so schema drift cannot be checked. Run upgrade or stamp with MigrationDesk once to record one.</source>
        <translation>No schema snapshot has been recorded for this database yet, so schema drift cannot be checked. Run upgrade or stamp with MigrationDesk once to record one.</translation>
    </message>
    <message>
        <source>the version table says %1 but the snapshot was recorded at %2: the database was migrated or stamped outside MigrationDesk</source>
        <translation>the version table says %1 but the snapshot was recorded at %2: the database was migrated or stamped outside MigrationDesk</translation>
    </message>
    <message>
        <source>base</source>
        <translation>base</translation>
    </message>
    <message>
        <source>The recorded schema snapshot predates owner, privilege and comment tracking, so GRANT, OWNER and COMMENT changes are not checked. Any upgrade or stamp with MigrationDesk records a new snapshot.</source>
        <translation>The recorded schema snapshot predates owner, privilege and comment tracking, so GRANT, OWNER and COMMENT changes are not checked. Any upgrade or stamp with MigrationDesk records a new snapshot.</translation>
    </message>
    <message>
        <source>The last schema snapshot was recorded at %1.</source>
        <translation>The last schema snapshot was recorded at %1.</translation>
    </message>
</context>
<context>
    <name>EnumLabels</name>
    <message>
        <source>Visit</source>
        <translation>Visit</translation>
    </message>
    <message>
        <source>Meeting</source>
        <translation>Meeting</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>Training</translation>
    </message>
    <message>
        <source>Report</source>
        <translation>Report</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Other</translation>
    </message>
    <message>
        <source>Scheduled</source>
        <translation>Scheduled</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>In progress</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>Completed</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <source>High</source>
        <translation>High</translation>
    </message>
    <message>
        <source>Medium</source>
        <translation>Medium</translation>
    </message>
    <message>
        <source>Low</source>
        <translation>Low</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>Administrator</translation>
    </message>
    <message>
        <source>User</source>
        <translation>User</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::AlembicImportDialog</name>
    <message>
        <source>Import Alembic Project</source>
        <translation>Import Alembic Project</translation>
    </message>
    <message>
        <source>Alembic renders each revision&apos;s upgrade and downgrade as SQL, offline; nothing connects to a database. The scripts keep every revision id, branch label and dependency.</source>
        <translation>Alembic renders each revision&apos;s upgrade and downgrade as SQL, offline; nothing connects to a database. The scripts keep every revision id, branch label and dependency.</translation>
    </message>
    <message>
        <source>the project&apos;s alembic.ini, or the folder holding it</source>
        <translation>the project&apos;s alembic.ini, or the folder holding it</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <source>Alembic project:</source>
        <translation>Alembic project:</translation>
    </message>
    <message>
        <source>an empty folder for the MigrationDesk scripts</source>
        <translation>an empty folder for the MigrationDesk scripts</translation>
    </message>
    <message>
        <source>Output folder:</source>
        <translation>Output folder:</translation>
    </message>
    <message>
        <source>automatic: the Python that runs alembic on PATH, else python3</source>
        <translation>automatic: the Python that runs alembic on PATH, else python3</translation>
    </message>
    <message>
        <source>Python:</source>
        <translation>Python:</translation>
    </message>
    <message>
        <source>Revision</source>
        <translation>Revision</translation>
    </message>
    <message>
        <source>Branch labels</source>
        <translation>Branch labels</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Message</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>Import</translation>
    </message>
    <message>
        <source>Cancel Import</source>
        <translation>Cancel Import</translation>
    </message>
    <message>
        <source>Open as Migration Source</source>
        <translation>Open as Migration Source</translation>
    </message>
    <message>
        <source>Choose the project&apos;s alembic.ini</source>
        <translation>Choose the project&apos;s alembic.ini</translation>
    </message>
    <message>
        <source>Alembic configuration (*.ini);;All files (*)</source>
        <translation>Alembic configuration (*.ini);;All files (*)</translation>
    </message>
    <message>
        <source>Choose the folder for the scripts</source>
        <translation>Choose the folder for the scripts</translation>
    </message>
    <message>
        <source>Choose the project&apos;s alembic.ini, or the folder holding it.</source>
        <translation>Choose the project&apos;s alembic.ini, or the folder holding it.</translation>
    </message>
    <message>
        <source>%1 does not exist.</source>
        <translation>%1 does not exist.</translation>
    </message>
    <message>
        <source>Choose an empty folder to write the scripts into.</source>
        <translation>Choose an empty folder to write the scripts into.</translation>
    </message>
    <message>
        <source>Starting Python…</source>
        <translation>Starting Python…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Cancelling…</translation>
    </message>
    <message>
        <source>Alembic is reading and rendering every revision…</source>
        <translation>Alembic is reading and rendering every revision…</translation>
    </message>
    <message>
        <source>Writing the scripts…</source>
        <translation>Writing the scripts…</translation>
    </message>
    <message>
        <source>Checking that the scripts load…</source>
        <translation>Checking that the scripts load…</translation>
    </message>
    <message>
        <source>The import was cancelled; nothing was written.</source>
        <translation>The import was cancelled; nothing was written.</translation>
    </message>
    <message numerus="yes">
        <source>Imported %n revision(s) into %1 (Alembic %2). </source>
        <translation>
            <numerusform>Imported %n revision into %1 (Alembic %2). </numerusform>
            <numerusform>Imported %n revisions into %1 (Alembic %2). </numerusform>
        </translation>
    </message>
    <message>
        <source>Heads: %1.</source>
        <translation>Heads: %1.</translation>
    </message>
    <message numerus="yes">
        <source>%n revision(s) need review: translate each by hand, then delete its needs_review header. Until then they cannot be run or stamped.</source>
        <translation>
            <numerusform>%n revision needs review: translate it by hand, then delete its needs_review header. Until then it cannot be run or stamped.</numerusform>
            <numerusform>%n revisions need review: translate each by hand, then delete its needs_review header. Until then they cannot be run or stamped.</numerusform>
        </translation>
    </message>
    <message>
        <source>Open the folder as the migration source for this session. Connect through a saved profile to have it remembered.</source>
        <translation>Open the folder as the migration source for this session. Connect through a saved profile to have it remembered.</translation>
    </message>
    <message>
        <source>Open the folder as the migration source; it will be remembered for the connection profile “%1”.</source>
        <translation>Open the folder as the migration source; it will be remembered for the connection profile “%1”.</translation>
    </message>
    <message>
        <source>Nothing was imported: %1</source>
        <translation>Nothing was imported: %1</translation>
    </message>
    <message>
        <source>Rendered</source>
        <translation>Rendered</translation>
    </message>
    <message>
        <source>Needs review: %1</source>
        <translation>Needs review: %1</translation>
    </message>
    <message>
        <source>Rendered faithfully into %1</source>
        <translation>Rendered faithfully into %1</translation>
    </message>
    <message>
        <source>%1 keeps the Python source as comments.
%2</source>
        <translation>%1 keeps the Python source as comments.
%2</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::AlembicImportLauncher</name>
    <message>
        <source>Import Alembic Project…</source>
        <translation>Import Alembic Project…</translation>
    </message>
    <message>
        <source>Turn an Alembic project into MigrationDesk scripts with the same revision ids</source>
        <translation>Turn an Alembic project into MigrationDesk scripts with the same revision ids</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::AlembicImportWorker</name>
    <message>
        <source>%1 does not exist; choose an alembic.ini or the folder holding it.</source>
        <translation>%1 does not exist; choose an alembic.ini or the folder holding it.</translation>
    </message>
    <message>
        <source>The import was cancelled.</source>
        <translation>The import was cancelled.</translation>
    </message>
    <message>
        <source>The imported scripts do not load:
%1</source>
        <translation>The imported scripts do not load:
%1</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::BulkLoad</name>
    <message>
        <source>Not connected to a database.</source>
        <translation>Not connected to a database.</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Cancelled.</translation>
    </message>
    <message>
        <source>Could not read the indexes and foreign keys of %1: %2</source>
        <translation>Could not read the indexes and foreign keys of %1: %2</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::CalendarPainter</name>
    <message>
        <source>Reading…</source>
        <translation>Reading…</translation>
    </message>
    <message>
        <source>%1 – %2</source>
        <translation>%1 – %2</translation>
    </message>
    <message>
        <source>Busiest day</source>
        <translation>Busiest day</translation>
    </message>
    <message>
        <source>All day</source>
        <translation>All day</translation>
    </message>
    <message>
        <source>+%n more</source>
        <translation>+%n more</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::CalendarPane</name>
    <message>
        <source>Today</source>
        <translation>Today</translation>
    </message>
    <message>
        <source>Go to today (Home)</source>
        <translation>Go to today (Home)</translation>
    </message>
    <message>
        <source>Previous week or month (Page Up)</source>
        <translation>Previous week or month (Page Up)</translation>
    </message>
    <message>
        <source>Next week or month (Page Down)</source>
        <translation>Next week or month (Page Down)</translation>
    </message>
    <message>
        <source>Previous</source>
        <translation>Previous</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Next</translation>
    </message>
    <message>
        <source>Export PDF…</source>
        <translation>Export PDF…</translation>
    </message>
    <message>
        <source>Save the visible week or month as a PDF file</source>
        <translation>Save the visible week or month as a PDF file</translation>
    </message>
    <message>
        <source>%1 – %2</source>
        <comment>a week&apos;s first and last day</comment>
        <translation>%1 – %2</translation>
    </message>
    <message>
        <source>MMMM yyyy</source>
        <extracomment>A QDate format for a month&apos;s title: translate to the order your language writes it in (&quot;yyyy년 M월&quot;).</extracomment>
        <translation>MMMM yyyy</translation>
    </message>
    <message>
        <source>Reading…</source>
        <translation>Reading…</translation>
    </message>
    <message numerus="yes">
        <source>%n schedules, counted per day</source>
        <translation>
            <numerusform>%n schedule, counted per day</numerusform>
            <numerusform>%n schedules, counted per day</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n schedules</source>
        <translation>
            <numerusform>%n schedule</numerusform>
            <numerusform>%n schedules</numerusform>
        </translation>
    </message>
    <message>
        <source>Busiest day: %1 (%2)</source>
        <translation>Busiest day: %1 (%2)</translation>
    </message>
    <message>
        <source>Too many to draw one by one: filter by an employee or a department to see each.</source>
        <translation>Too many to draw one by one: filter by an employee or a department to see each.</translation>
    </message>
    <message>
        <source>Could not write %1.</source>
        <translation>Could not write %1.</translation>
    </message>
    <message>
        <source>Export PDF</source>
        <translation>Export PDF</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::CalendarRangeQuery</name>
    <message>
        <source>Not connected.</source>
        <translation>Not connected.</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::CliApp</name>
    <message>
        <source>error: %1</source>
        <translation>error: %1</translation>
    </message>
    <message>
        <source>Run &apos;migrationdesk-cli --help&apos; for usage.</source>
        <translation>Run &apos;migrationdesk-cli --help&apos; for usage.</translation>
    </message>
    <message>
        <source>%1 needs a value</source>
        <translation>%1 needs a value</translation>
    </message>
    <message>
        <source>unknown global option &apos;%1&apos; (global options come before the command)</source>
        <translation>unknown global option &apos;%1&apos; (global options come before the command)</translation>
    </message>
    <message>
        <source>no command given</source>
        <translation>no command given</translation>
    </message>
    <message>
        <source>unknown command &apos;%1&apos;</source>
        <translation>unknown command &apos;%1&apos;</translation>
    </message>
    <message>
        <source>unknown option &apos;%1&apos; for %2</source>
        <translation>unknown option &apos;%1&apos; for %2</translation>
    </message>
    <message>
        <source>%1 needs a target revision</source>
        <translation>%1 needs a target revision</translation>
    </message>
    <message>
        <source>%1 needs at least %2 revisions</source>
        <translation>%1 needs at least %2 revisions</translation>
    </message>
    <message>
        <source>unexpected argument &apos;%1&apos; for %2</source>
        <translation>unexpected argument &apos;%1&apos; for %2</translation>
    </message>
    <message>
        <source>the migration scripts are invalid; nothing was done:
%1</source>
        <translation>the migration scripts are invalid; nothing was done:
%1</translation>
    </message>
    <message>
        <source>--sandbox and --url cannot be combined</source>
        <translation>--sandbox and --url cannot be combined</translation>
    </message>
    <message>
        <source>Sandbox: %1 (%2%)</source>
        <translation>Sandbox: %1 (%2%)</translation>
    </message>
    <message>
        <source>invalid --url: %1</source>
        <translation>invalid --url: %1</translation>
    </message>
    <message>
        <source>Connection settings from %1.</source>
        <translation>Connection settings from %1.</translation>
    </message>
    <message>
        <source>could not read the version table: %1</source>
        <translation>could not read the version table: %1</translation>
    </message>
    <message>
        <source>Current revision(s) for %1:</source>
        <translation>Current revision(s) for %1:</translation>
    </message>
    <message>
        <source> (missing from the scripts)</source>
        <translation> (missing from the scripts)</translation>
    </message>
    <message>
        <source>history range &apos;%1&apos; must be of the form [start]:[end]</source>
        <translation>history range &apos;%1&apos; must be of the form [start]:[end]</translation>
    </message>
    <message>
        <source>Waiting for the migration lock, held by %1...</source>
        <translation>Waiting for the migration lock, held by %1...</translation>
    </message>
    <message>
        <source>Waiting for the server to end the session of an interrupted earlier run (%1)...</source>
        <translation>Waiting for the server to end the session of an interrupted earlier run (%1)...</translation>
    </message>
    <message>
        <source>  [%1/%2] line %3: %4</source>
        <translation>  [%1/%2] line %3: %4</translation>
    </message>
    <message>
        <source>        done in %1 ms</source>
        <translation>        done in %1 ms</translation>
    </message>
    <message>
        <source>a FROM:TO range is only meaningful with --sql</source>
        <translation>a FROM:TO range is only meaningful with --sql</translation>
    </message>
    <message>
        <source>Running upgrade %1 -&gt; %2, %3</source>
        <translation>Running upgrade %1 -&gt; %2, %3</translation>
    </message>
    <message>
        <source>Running downgrade %1 -&gt; %2, %3</source>
        <translation>Running downgrade %1 -&gt; %2, %3</translation>
    </message>
    <message>
        <source>Nothing to do: the database (%1) is already at %2.</source>
        <translation>Nothing to do: the database (%1) is already at %2.</translation>
    </message>
    <message>
        <source>Plan for %1 %2 on %3, from %4 (dry run, nothing changed):</source>
        <translation>Plan for %1 %2 on %3, from %4 (dry run, nothing changed):</translation>
    </message>
    <message>
        <source>  [non-transactional]</source>
        <translation>  [non-transactional]</translation>
    </message>
    <message>
        <source>Nothing to do: the database is already at %1.</source>
        <translation>Nothing to do: the database is already at %1.</translation>
    </message>
    <message numerus="yes">
        <source>Done: %n revision(s) applied; now at %1.</source>
        <translation>
            <numerusform>Done: %n revision applied; now at %1.</numerusform>
            <numerusform>Done: %n revisions applied; now at %1.</numerusform>
        </translation>
    </message>
    <message>
        <source>downgrade with --sql requires &lt;fromrev&gt;:&lt;torev&gt;</source>
        <translation>downgrade with --sql requires &lt;fromrev&gt;:&lt;torev&gt;</translation>
    </message>
    <message>
        <source>Stamped %1: version table now at %2.</source>
        <translation>Stamped %1: version table now at %2.</translation>
    </message>
    <message>
        <source>check failed: %1</source>
        <translation>check failed: %1</translation>
    </message>
    <message>
        <source>No drift: the schema of %1 matches what its applied revisions built, and no applied script changed.</source>
        <translation>No drift: the schema of %1 matches what its applied revisions built, and no applied script changed.</translation>
    </message>
    <message>
        <source>Drift found in %1:</source>
        <translation>Drift found in %1:</translation>
    </message>
    <message>
        <source>  schema: %1</source>
        <translation>  schema: %1</translation>
    </message>
    <message>
        <source>  script: %1</source>
        <translation>  script: %1</translation>
    </message>
    <message>
        <source>%1 writes a new script and needs --migrations DIR (the bundled scripts are read-only)</source>
        <translation>%1 writes a new script and needs --migrations DIR (the bundled scripts are read-only)</translation>
    </message>
    <message>
        <source>%1 needs a message: -m &quot;...&quot;</source>
        <translation>%1 needs a message: -m &quot;...&quot;</translation>
    </message>
    <message>
        <source>merge needs at least two distinct revisions</source>
        <translation>merge needs at least two distinct revisions</translation>
    </message>
    <message>
        <source>Multiple heads are present (%1); please specify the head revision on which the new revision should be based with --head, or perform a merge.</source>
        <translation>Multiple heads are present (%1); please specify the head revision on which the new revision should be based with --head, or perform a merge.</translation>
    </message>
    <message>
        <source>Generating %1 ...  done</source>
        <translation>Generating %1 ...  done</translation>
    </message>
    <message>
        <source>demo-data needs --employees N and --schedules M</source>
        <translation>demo-data needs --employees N and --schedules M</translation>
    </message>
    <message>
        <source>--deleted-ratio needs a number between 0 and 1</source>
        <translation>--deleted-ratio needs a number between 0 and 1</translation>
    </message>
    <message>
        <source>--seed needs a whole number of 0 or more</source>
        <translation>--seed needs a whole number of 0 or more</translation>
    </message>
    <message>
        <source>Added %1 of %2 rows (%3%)</source>
        <translation>Added %1 of %2 rows (%3%)</translation>
    </message>
    <message>
        <source>Added %1 employees and %2 schedules to %3 in %4 s (%5 rows/s).</source>
        <translation>Added %1 employees and %2 schedules to %3 in %4 s (%5 rows/s).</translation>
    </message>
    <message>
        <source>
upgrade and downgrade also take --restart-revision: run an interrupted non-transactional revision
again from statement 1, once its script is safe to repeat (an edited one is never resumed by position).
</source>
        <translation>
upgrade and downgrade also take --restart-revision: run an interrupted non-transactional revision
again from statement 1, once its script is safe to repeat (an edited one is never resumed by position).
</translation>
    </message>
    <message>
        <source>warning: %1</source>
        <translation>warning: %1</translation>
    </message>
    <message>
        <source>--sql does not connect, so it cannot be combined with --backup, --dry-run or --restart-revision</source>
        <translation>--sql does not connect, so it cannot be combined with --backup, --dry-run or --restart-revision</translation>
    </message>
    <message>
        <source>Would stamp %1: the version table would go from %2 to %3 (dry run, nothing changed).</source>
        <translation>Would stamp %1: the version table would go from %2 to %3 (dry run, nothing changed).</translation>
    </message>
    <message>
        <source>a password given in --url is visible to other users of this machine (ps, /proc/PID/cmdline) until the tool starts. Use PGPASSWORD, ~/.pgpass or the desktop app&apos;s keychain instead.</source>
        <translation>a password given in --url is visible to other users of this machine (ps, /proc/PID/cmdline) until the tool starts. Use PGPASSWORD, ~/.pgpass or the desktop app&apos;s keychain instead.</translation>
    </message>
    <message numerus="yes">
        <source>%1... (%n characters)</source>
        <translation>
            <numerusform>%1... (%n character)</numerusform>
            <numerusform>%1... (%n characters)</numerusform>
        </translation>
    </message>
    <message>
        <source>--json cannot be combined with --sql (the SQL script is the output)</source>
        <translation>--json cannot be combined with --sql (the SQL script is the output)</translation>
    </message>
    <message>
        <source>%1: a revision argument is empty</source>
        <translation>%1: a revision argument is empty</translation>
    </message>
    <message>
        <source>%1: the revision argument &apos;%2&apos; is too long (at most %3 characters)</source>
        <translation>%1: the revision argument &apos;%2&apos; is too long (at most %3 characters)</translation>
    </message>
    <message>
        <source>--employees needs a whole number from 0 to %1</source>
        <translation>--employees needs a whole number from 0 to %1</translation>
    </message>
    <message>
        <source>--schedules needs a whole number from 0 to %1</source>
        <translation>--schedules needs a whole number from 0 to %1</translation>
    </message>
    <message>
        <source>The database is at base: the range ends before the first revision.</source>
        <translation>The database is at base: the range ends before the first revision.</translation>
    </message>
    <message>
        <source>
Runtime guards of upgrade and downgrade (global options):
  --lock-retries N       after a lock timeout, roll the revision back and try it again up to N times,
                         pausing 1 s, 2 s, 4 s ... (at most 30 s) in between (default 0)
  --statement-timeout T  statement_timeout for each migration statement, e.g. 500ms, 30s, 5min
                         (default: the server&apos;s setting)
</source>
        <translation>
Runtime guards of upgrade and downgrade (global options):
  --lock-retries N       after a lock timeout, roll the revision back and try it again up to N times,
                         pausing 1 s, 2 s, 4 s ... (at most 30 s) in between (default 0)
  --statement-timeout T  statement_timeout for each migration statement, e.g. 500ms, 30s, 5min
                         (default: the server&apos;s setting)
</translation>
    </message>
    <message>
        <source>
import-alembic PATH --out DIR [--python EXE]
                                           write an Alembic project (PATH: alembic.ini or its folder) as
                                           scripts in DIR, keeping revision ids, branch labels and depends_on;
                                           exit 1 if some revision needs review
</source>
        <translation>
import-alembic PATH --out DIR [--python EXE]
                                           write an Alembic project (PATH: alembic.ini or its folder) as
                                           scripts in DIR, keeping revision ids, branch labels and depends_on;
                                           exit 1 if some revision needs review
</translation>
    </message>
    <message>
        <source>
Pre-flight review (what each step locks, rewrites or drops, weighed by the live table sizes):
  review [TARGET] [--downgrade] [--fail-on LEVEL] [--offline [--from REV]]
         [--danger-rows N] [--danger-bytes SIZE]
                     TARGET defaults to head; --downgrade reviews a downgrade to TARGET. Exit 5 when a
                     finding is at or above LEVEL (info, warning, danger, error; default error).
                     --offline reads only the scripts (sizes unknown), from REV (default: base for an
                     upgrade, the heads for a downgrade). A step is danger from N rows (default
                     100000) or SIZE (default 100MB) on.
  upgrade/downgrade print danger and error findings first; an error finding stops them before anything
  changes (exit 5) unless --accept RULE (repeatable) names its rule. --dry-run shows every finding.
  A comment &quot;-- review: allow RULE reason&quot; right above a statement allows that finding.
Exit code 5: the review found what --fail-on names, or an error finding stopped the run.
</source>
        <translation>
Pre-flight review (what each step locks, rewrites or drops, weighed by the live table sizes):
  review [TARGET] [--downgrade] [--fail-on LEVEL] [--offline [--from REV]]
         [--danger-rows N] [--danger-bytes SIZE]
                     TARGET defaults to head; --downgrade reviews a downgrade to TARGET. Exit 5 when a
                     finding is at or above LEVEL (info, warning, danger, error; default error).
                     --offline reads only the scripts (sizes unknown), from REV (default: base for an
                     upgrade, the heads for a downgrade). A step is danger from N rows (default
                     100000) or SIZE (default 100MB) on.
  upgrade/downgrade print danger and error findings first; an error finding stops them before anything
  changes (exit 5) unless --accept RULE (repeatable) names its rule. --dry-run shows every finding.
  A comment &quot;-- review: allow RULE reason&quot; right above a statement allows that finding.
Exit code 5: the review found what --fail-on names, or an error finding stopped the run.
</translation>
    </message>
    <message>
        <source>Lock timeout on try %1 of %2; trying again in %3 s...</source>
        <translation>Lock timeout on try %1 of %2; trying again in %3 s...</translation>
    </message>
    <message>
        <source>--lock-retries needs a whole number from 0 to 100, not &apos;%1&apos;</source>
        <translation>--lock-retries needs a whole number from 0 to 100, not &apos;%1&apos;</translation>
    </message>
    <message>
        <source>--statement-timeout needs a duration such as 500ms, 30s or 5min, not &apos;%1&apos;</source>
        <translation>--statement-timeout needs a duration such as 500ms, 30s or 5min, not &apos;%1&apos;</translation>
    </message>
    <message>
        <source>import-alembic needs --out DIR, the folder to write the scripts into</source>
        <translation>import-alembic needs --out DIR, the folder to write the scripts into</translation>
    </message>
    <message>
        <source>%1 does not exist; give an alembic.ini or the folder holding it</source>
        <translation>%1 does not exist; give an alembic.ini or the folder holding it</translation>
    </message>
    <message>
        <source>Reading the Alembic project at %1 ...</source>
        <translation>Reading the Alembic project at %1 ...</translation>
    </message>
    <message>
        <source>the imported scripts do not load:
%1</source>
        <translation>the imported scripts do not load:
%1</translation>
    </message>
    <message>
        <source>rendered    </source>
        <translation>rendered    </translation>
    </message>
    <message>
        <source>NEEDS REVIEW</source>
        <translation>NEEDS REVIEW</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message numerus="yes">
        <source>Imported %n revision(s) from %1 into %2 (Alembic %3, %4).</source>
        <translation>
            <numerusform>Imported %n revision from %1 into %2 (Alembic %3, %4).</numerusform>
            <numerusform>Imported %n revisions from %1 into %2 (Alembic %3, %4).</numerusform>
        </translation>
    </message>
    <message>
        <source>Heads: %1</source>
        <translation>Heads: %1</translation>
    </message>
    <message>
        <source>Branch labels: %1</source>
        <translation>Branch labels: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n revision(s) need review: translate each by hand, then delete its needs_review header. Until then MigrationDesk refuses to run or stamp through them.</source>
        <translation>
            <numerusform>%n revision needs review: translate it by hand, then delete its needs_review header. Until then MigrationDesk refuses to run or stamp through it.</numerusform>
            <numerusform>%n revisions need review: translate each by hand, then delete its needs_review header. Until then MigrationDesk refuses to run or stamp through them.</numerusform>
        </translation>
    </message>
    <message>
        <source>Every revision rendered cleanly.</source>
        <translation>Every revision rendered cleanly.</translation>
    </message>
    <message>
        <source>%1 (allowed: %2)</source>
        <translation>%1 (allowed: %2)</translation>
    </message>
    <message>
        <source>--danger-rows needs a number of rows, not &apos;%1&apos;</source>
        <translation>--danger-rows needs a number of rows, not &apos;%1&apos;</translation>
    </message>
    <message>
        <source>--danger-bytes needs a size such as 104857600 or 100MB, not &apos;%1&apos;</source>
        <translation>--danger-bytes needs a size such as 104857600 or 100MB, not &apos;%1&apos;</translation>
    </message>
    <message>
        <source>line %1</source>
        <translation>line %1</translation>
    </message>
    <message>
        <source>%1 lock</source>
        <translation>%1 lock</translation>
    </message>
    <message>
        <source>allowed: %1</source>
        <translation>allowed: %1</translation>
    </message>
    <message>
        <source>review --downgrade needs a target revision</source>
        <translation>review --downgrade needs a target revision</translation>
    </message>
    <message>
        <source>--from is only meaningful with --offline (online, the database says where it is)</source>
        <translation>--from is only meaningful with --offline (online, the database says where it is)</translation>
    </message>
    <message>
        <source>--fail-on takes info, warning, danger or error, not &apos;%1&apos;</source>
        <translation>--fail-on takes info, warning, danger or error, not &apos;%1&apos;</translation>
    </message>
    <message>
        <source>the scripts alone (offline: sizes unknown)</source>
        <translation>the scripts alone (offline: sizes unknown)</translation>
    </message>
    <message>
        <source>Review of %1 %2 on %3, from %4:</source>
        <translation>Review of %1 %2 on %3, from %4:</translation>
    </message>
    <message>
        <source>  Nothing to do.</source>
        <translation>  Nothing to do.</translation>
    </message>
    <message numerus="yes">
        <source>%n finding(s) at or above %1 (--fail-on).</source>
        <translation>
            <numerusform>%n finding at or above %1 (--fail-on).</numerusform>
            <numerusform>%n findings at or above %1 (--fail-on).</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 %2, %3 line %4: %5%6</source>
        <translation>%1 %2, %3 line %4: %5%6</translation>
    </message>
    <message>
        <source>the pre-flight review found errors (%1), so nothing ran. Fix the script, or pass --accept RULE for each rule you have checked.</source>
        <translation>the pre-flight review found errors (%1), so nothing ran. Fix the script, or pass --accept RULE for each rule you have checked.</translation>
    </message>
    <message>
        <source>Usage: migrationdesk-cli [global options] &lt;command&gt; [arguments] [command options]

Global options:
  --url URL              postgresql://user:pass@host:port/db?sslmode=... (also postgres:// and
                         postgresql+psycopg2://). Default: DATABASE_URL, then POSTGRES_USER/
                         POSTGRES_PASSWORD/POSTGRES_DB/POSTGRES_HOST/POSTGRES_PORT, then libpq&apos;s
                         PG* variables, ~/.pgpass and service files.
  --migrations DIR       read migration scripts from DIR instead of the bundled ones
  --version-table NAME   version table (default alembic_version; schema.table allowed)
  --lock-timeout T       lock_timeout for migration statements (default 10s)
  --single-transaction   run the whole upgrade/downgrade in one transaction
  --sandbox              use the local sandbox cluster (created, migrated and filled with demo
                         data on first use; the same one the desktop app&apos;s --sandbox uses)
  --json                 machine-readable output on stdout
  --verbose              show each statement as it runs
  --quiet                print only errors
  --version, --help

Commands (as in Alembic):
  current [--verbose]                      revision(s) of the database
  history [-r RANGE] [--verbose] [-i]      revisions, newest first (RANGE like base:head, -3:current)
  heads [--verbose] | branches [--verbose] | show REV
  upgrade TARGET [--sql] [--backup FILE] [--dry-run]
  downgrade TARGET [--sql] [--backup FILE] [--dry-run]
                                           TARGET: head, heads, base, REV, prefix, +N, -N, REV+N, REV-N;
                                           with --sql, FROM:TO ranges print the offline script
  stamp TARGET [--dry-run]                 write the version table without running anything
  check [--baseline]                       exit 4 if the schema drifted or an applied script changed, 6 if
                                           no snapshot exists for revisions applied outside MigrationDesk;
                                           --baseline records the current schema as that snapshot
  revision -m MSG [--head REV] [--rev-id ID]  new empty script in --migrations DIR
  merge -m MSG REV... [--rev-id ID]        merge revision of several heads in --migrations DIR
  demo-data --employees N --schedules M [--deleted-ratio R] [--seed S]
                                           append demo rows to a database at head (R default 0.02)

Exit codes: 0 success, 1 migration failure, 2 usage error, 3 connection error, 4 drift found,
5 review findings, 6 no schema snapshot for the applied revisions (see check --baseline).
</source>
        <translation>Usage: migrationdesk-cli [global options] &lt;command&gt; [arguments] [command options]

Global options:
  --url URL              postgresql://user:pass@host:port/db?sslmode=... (also postgres:// and
                         postgresql+psycopg2://). Default: DATABASE_URL, then POSTGRES_USER/
                         POSTGRES_PASSWORD/POSTGRES_DB/POSTGRES_HOST/POSTGRES_PORT, then libpq&apos;s
                         PG* variables, ~/.pgpass and service files.
  --migrations DIR       read migration scripts from DIR instead of the bundled ones
  --version-table NAME   version table (default alembic_version; schema.table allowed)
  --lock-timeout T       lock_timeout for migration statements (default 10s)
  --single-transaction   run the whole upgrade/downgrade in one transaction
  --sandbox              use the local sandbox cluster (created, migrated and filled with demo
                         data on first use; the same one the desktop app&apos;s --sandbox uses)
  --json                 machine-readable output on stdout
  --verbose              show each statement as it runs
  --quiet                print only errors
  --version, --help

Commands (as in Alembic):
  current [--verbose]                      revision(s) of the database
  history [-r RANGE] [--verbose] [-i]      revisions, newest first (RANGE like base:head, -3:current)
  heads [--verbose] | branches [--verbose] | show REV
  upgrade TARGET [--sql] [--backup FILE] [--dry-run]
  downgrade TARGET [--sql] [--backup FILE] [--dry-run]
                                           TARGET: head, heads, base, REV, prefix, +N, -N, REV+N, REV-N;
                                           with --sql, FROM:TO ranges print the offline script
  stamp TARGET [--dry-run]                 write the version table without running anything
  check [--baseline]                       exit 4 if the schema drifted or an applied script changed, 6 if
                                           no snapshot exists for revisions applied outside MigrationDesk;
                                           --baseline records the current schema as that snapshot
  revision -m MSG [--head REV] [--rev-id ID]  new empty script in --migrations DIR
  merge -m MSG REV... [--rev-id ID]        merge revision of several heads in --migrations DIR
  demo-data --employees N --schedules M [--deleted-ratio R] [--seed S]
                                           append demo rows to a database at head (R default 0.02)

Exit codes: 0 success, 1 migration failure, 2 usage error, 3 connection error, 4 drift found,
5 review findings, 6 no schema snapshot for the applied revisions (see check --baseline).
</translation>
    </message>
    <message>
        <source>check --baseline recorded nothing: %1</source>
        <translation>check --baseline recorded nothing: %1</translation>
    </message>
    <message>
        <source>Recorded the schema of %1 as the snapshot for %2; later checks compare with it.</source>
        <translation>Recorded the schema of %1 as the snapshot for %2; later checks compare with it.</translation>
    </message>
    <message>
        <source>No schema snapshot is recorded for revision %1 of %2: it was applied outside MigrationDesk (e.g. by Alembic), so schema drift cannot be checked.</source>
        <translation>No schema snapshot is recorded for revision %1 of %2: it was applied outside MigrationDesk (e.g. by Alembic), so schema drift cannot be checked.</translation>
    </message>
    <message>
        <source>No schema snapshot is recorded for revision %1 of %2, so schema drift cannot be checked.</source>
        <translation>No schema snapshot is recorded for revision %1 of %2, so schema drift cannot be checked.</translation>
    </message>
    <message>
        <source>Run `check --baseline` to record the current schema as the snapshot for %1 (nothing else changes); later checks compare with it.</source>
        <translation>Run `check --baseline` to record the current schema as the snapshot for %1 (nothing else changes); later checks compare with it.</translation>
    </message>
    <message>
        <source>No schema snapshot is recorded for revision %1: `check --baseline` records one once the scripts are right.</source>
        <translation>No schema snapshot is recorded for revision %1: `check --baseline` records one once the scripts are right.</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::ConnectionDialog</name>
    <message>
        <source>Connect to a Database</source>
        <translation>Connect to a Database</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Add</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>Duplicate</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>Rename</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>Saved connections</source>
        <translation>Saved connections</translation>
    </message>
    <message>
        <source>unsaved connection</source>
        <translation>unsaved connection</translation>
    </message>
    <message>
        <source>libpq default (PGHOST or local socket)</source>
        <translation>libpq default (PGHOST or local socket)</translation>
    </message>
    <message>
        <source>5432</source>
        <translation>5432</translation>
    </message>
    <message>
        <source>same as the user name</source>
        <translation>same as the user name</translation>
    </message>
    <message>
        <source>libpq default (PGUSER or your login)</source>
        <translation>libpq default (PGUSER or your login)</translation>
    </message>
    <message>
        <source>from the keychain, PGPASSWORD or ~/.pgpass</source>
        <translation>from the keychain, PGPASSWORD or ~/.pgpass</translation>
    </message>
    <message>
        <source>Remember password in the system keychain</source>
        <translation>Remember password in the system keychain</translation>
    </message>
    <message>
        <source>libpq default (prefer)</source>
        <translation>libpq default (prefer)</translation>
    </message>
    <message>
        <source>CA certificate file for verify-ca / verify-full</source>
        <translation>CA certificate file for verify-ca / verify-full</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <source>Option</source>
        <translation>Option</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Value</translation>
    </message>
    <message>
        <source>Further libpq options, e.g. connect_timeout or application_name. Supported: %1</source>
        <translation>Further libpq options, e.g. connect_timeout or application_name. Supported: %1</translation>
    </message>
    <message>
        <source>Add option</source>
        <translation>Add option</translation>
    </message>
    <message>
        <source>Remove option</source>
        <translation>Remove option</translation>
    </message>
    <message>
        <source>Profile name:</source>
        <translation>Profile name:</translation>
    </message>
    <message>
        <source>Host:</source>
        <translation>Host:</translation>
    </message>
    <message>
        <source>Port:</source>
        <translation>Port:</translation>
    </message>
    <message>
        <source>Database:</source>
        <translation>Database:</translation>
    </message>
    <message>
        <source>User:</source>
        <translation>User:</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>Password:</translation>
    </message>
    <message>
        <source>SSL mode:</source>
        <translation>SSL mode:</translation>
    </message>
    <message>
        <source>Root certificate:</source>
        <translation>Root certificate:</translation>
    </message>
    <message>
        <source>Options:</source>
        <translation>Options:</translation>
    </message>
    <message>
        <source>Save Profile</source>
        <translation>Save Profile</translation>
    </message>
    <message>
        <source>Test Connection</source>
        <translation>Test Connection</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>Connect</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Profile &quot;%1&quot; saved.</source>
        <translation>Profile &quot;%1&quot; saved.</translation>
    </message>
    <message>
        <source>Reading the password from the system keychain…</source>
        <translation>Reading the password from the system keychain…</translation>
    </message>
    <message>
        <source>The port must be a number between 1 and 65535.</source>
        <translation>The port must be a number between 1 and 65535.</translation>
    </message>
    <message>
        <source>Option row %1 has a value but no option name.</source>
        <translation>Option row %1 has a value but no option name.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a libpq option MigrationDesk accepts. Supported options: %2.</source>
        <translation>&quot;%1&quot; is not a libpq option MigrationDesk accepts. Supported options: %2.</translation>
    </message>
    <message>
        <source>Passwords do not belong in the options: use the password field.</source>
        <translation>Passwords do not belong in the options: use the password field.</translation>
    </message>
    <message>
        <source>Set %1 with its own field above, not as an option.</source>
        <translation>Set %1 with its own field above, not as an option.</translation>
    </message>
    <message>
        <source>The value of %1 cannot contain &apos;;&apos;.</source>
        <translation>The value of %1 cannot contain &apos;;&apos;.</translation>
    </message>
    <message>
        <source>The option %1 is given twice.</source>
        <translation>The option %1 is given twice.</translation>
    </message>
    <message>
        <source>Give the profile a name to save it.</source>
        <translation>Give the profile a name to save it.</translation>
    </message>
    <message>
        <source>A profile named &quot;%1&quot; already exists.</source>
        <translation>A profile named &quot;%1&quot; already exists.</translation>
    </message>
    <message>
        <source>A profile needs a name.</source>
        <translation>A profile needs a name.</translation>
    </message>
    <message>
        <source>The profile &quot;%1&quot; no longer exists.</source>
        <translation>The profile &quot;%1&quot; no longer exists.</translation>
    </message>
    <message>
        <source>New connection</source>
        <translation>New connection</translation>
    </message>
    <message>
        <source>%1 (copy)</source>
        <translation>%1 (copy)</translation>
    </message>
    <message>
        <source>Profile &quot;%1&quot; deleted.</source>
        <translation>Profile &quot;%1&quot; deleted.</translation>
    </message>
    <message>
        <source>Profile renamed to &quot;%1&quot;.</source>
        <translation>Profile renamed to &quot;%1&quot;.</translation>
    </message>
    <message>
        <source>Root Certificate</source>
        <translation>Root Certificate</translation>
    </message>
    <message>
        <source>Certificates (*.crt *.pem *.cer);;All files (*)</source>
        <translation>Certificates (*.crt *.pem *.cer);;All files (*)</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>Connecting to %1…</translation>
    </message>
    <message>
        <source>Testing the connection to %1…</source>
        <translation>Testing the connection to %1…</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Cancelled.</translation>
    </message>
    <message>
        <source>The system keychain has no password for this profile; enter it to connect.</source>
        <translation>The system keychain has no password for this profile; enter it to connect.</translation>
    </message>
    <message>
        <source>The password could not be stored: %1</source>
        <translation>The password could not be stored: %1</translation>
    </message>
    <message>
        <source>Local Sandbox</source>
        <translation>Local Sandbox</translation>
    </message>
    <message>
        <source>Start a private PostgreSQL with the bundled schema and demo data, and connect to it</source>
        <translation>Start a private PostgreSQL with the bundled schema and demo data, and connect to it</translation>
    </message>
    <message>
        <source>Filled in from the pasted URL, its password included.</source>
        <translation>Filled in from the pasted URL, its password included.</translation>
    </message>
    <message>
        <source>Filled in from the pasted URL.</source>
        <translation>Filled in from the pasted URL.</translation>
    </message>
    <message>
        <source>The pasted URL was not used: %1</source>
        <translation>The pasted URL was not used: %1</translation>
    </message>
    <message>
        <source>for servers that ask for a client certificate</source>
        <translation>for servers that ask for a client certificate</translation>
    </message>
    <message>
        <source>the client certificate&apos;s private key</source>
        <translation>the client certificate&apos;s private key</translation>
    </message>
    <message>
        <source>Client certificate:</source>
        <translation>Client certificate:</translation>
    </message>
    <message>
        <source>Client key:</source>
        <translation>Client key:</translation>
    </message>
    <message>
        <source>Client Certificate</source>
        <translation>Client Certificate</translation>
    </message>
    <message>
        <source>Client Key</source>
        <translation>Client Key</translation>
    </message>
    <message>
        <source>Keys (*.key *.pem);;All files (*)</source>
        <translation>Keys (*.key *.pem);;All files (*)</translation>
    </message>
    <message>
        <source>Hide the password</source>
        <translation>Hide the password</translation>
    </message>
    <message>
        <source>Show the password</source>
        <translation>Show the password</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::ConnectionProbe</name>
    <message>
        <source>Connected to %1 (PostgreSQL %2).</source>
        <translation>Connected to %1 (PostgreSQL %2).</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::CopyStream</name>
    <message>
        <source>Not connected to a database.</source>
        <translation>Not connected to a database.</translation>
    </message>
    <message>
        <source>The server did not start the COPY.</source>
        <translation>The server did not start the COPY.</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Cancelled.</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::CsvExporter</name>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>Cannot write %1: %2</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::DataGrid</name>
    <message>
        <source>Reveal Values</source>
        <translation>Reveal Values</translation>
    </message>
    <message>
        <source>Sort Ascending</source>
        <translation>Sort Ascending</translation>
    </message>
    <message>
        <source>Sort Descending</source>
        <translation>Sort Descending</translation>
    </message>
    <message>
        <source>Mask Values</source>
        <translation>Mask Values</translation>
    </message>
    <message>
        <source>Reveal Values…</source>
        <translation>Reveal Values…</translation>
    </message>
    <message>
        <source>Copy refused: the column “%1” is masked. Reveal its values first, or select other columns.</source>
        <translation>Copy refused: the column “%1” is masked. Reveal its values first, or select other columns.</translation>
    </message>
    <message>
        <source>The column &quot;%1&quot; looks sensitive (passwords, secrets, tokens or hashes). Show its values in this grid? The unmasking is recorded in the audit table.</source>
        <translation>The column &quot;%1&quot; looks sensitive (passwords, secrets, tokens or hashes). Show its values in this grid? The unmasking is recorded in the audit table.</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::DatabaseWorker</name>
    <message>
        <source>Could not read the version table: %1</source>
        <translation>Could not read the version table: %1</translation>
    </message>
    <message>
        <source>Not connected to a database.</source>
        <translation>Not connected to a database.</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::DateTimeFormat</name>
    <message>
        <source>UTC</source>
        <translation>UTC</translation>
    </message>
    <message>
        <source>local time (UTC%1)</source>
        <extracomment>Which times the app shows: %1 is the offset from UTC, &quot;+9&quot; or &quot;-5:30&quot;.</extracomment>
        <translation>local time (UTC%1)</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::DriftBaseline</name>
    <message>
        <source>A migration is running on this database; record the baseline once it has finished.</source>
        <translation>A migration is running on this database; record the baseline once it has finished.</translation>
    </message>
    <message>
        <source>The version table is empty (base): there is no revision to record a baseline for.</source>
        <translation>The version table is empty (base): there is no revision to record a baseline for.</translation>
    </message>
    <message>
        <source>A schema snapshot is already recorded for %1, and check compares the schema with it. --baseline only records one for revisions applied outside MigrationDesk.</source>
        <translation>A schema snapshot is already recorded for %1, and check compares the schema with it. --baseline only records one for revisions applied outside MigrationDesk.</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::EmployeeDirectory</name>
    <message>
        <source>Not connected.</source>
        <translation>Not connected.</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::FilterBar</name>
    <message>
        <source>Filter:</source>
        <translation>Filter:</translation>
    </message>
    <message>
        <source>and</source>
        <translation>and</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>Apply</translation>
    </message>
    <message>
        <source>Show only the rows that match (Enter)</source>
        <translation>Show only the rows that match (Enter)</translation>
    </message>
    <message>
        <source>Clear Filters</source>
        <translation>Clear Filters</translation>
    </message>
    <message>
        <source>is true</source>
        <translation>is true</translation>
    </message>
    <message>
        <source>is false</source>
        <translation>is false</translation>
    </message>
    <message>
        <source>between</source>
        <translation>between</translation>
    </message>
    <message>
        <source>contains</source>
        <translation>contains</translation>
    </message>
    <message>
        <source>is null</source>
        <translation>is null</translation>
    </message>
    <message>
        <source>is not null</source>
        <translation>is not null</translation>
    </message>
    <message>
        <source>e.g. 42</source>
        <translation>e.g. 42</translation>
    </message>
    <message>
        <source>e.g. 2024-01-31</source>
        <translation>e.g. 2024-01-31</translation>
    </message>
    <message>
        <source>e.g. 2024-01-31 09:30</source>
        <translation>e.g. 2024-01-31 09:30</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Value</translation>
    </message>
    <message>
        <source>%1 between %2 and %3</source>
        <translation>%1 between %2 and %3</translation>
    </message>
    <message>
        <source>Remove this filter</source>
        <translation>Remove this filter</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::HistoryFilterBar</name>
    <message>
        <source>any day</source>
        <translation>any day</translation>
    </message>
    <message>
        <source>Revision</source>
        <translation>Revision</translation>
    </message>
    <message>
        <source>Runs of the revisions whose id starts with this</source>
        <translation>Runs of the revisions whose id starts with this</translation>
    </message>
    <message>
        <source>User</source>
        <translation>User</translation>
    </message>
    <message>
        <source>Runs by a database or OS user whose name contains this</source>
        <translation>Runs by a database or OS user whose name contains this</translation>
    </message>
    <message>
        <source>Any result</source>
        <translation>Any result</translation>
    </message>
    <message>
        <source>Succeeded</source>
        <translation>Succeeded</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Failed</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Clear</translation>
    </message>
    <message>
        <source>From</source>
        <translation>From</translation>
    </message>
    <message>
        <source>to</source>
        <translation>to</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::HistoryModel</name>
    <message>
        <source>&lt; 1 ms</source>
        <translation>&lt; 1 ms</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>Upgrade</source>
        <translation>Upgrade</translation>
    </message>
    <message>
        <source>Downgrade</source>
        <translation>Downgrade</translation>
    </message>
    <message>
        <source>Stamp</source>
        <translation>Stamp</translation>
    </message>
    <message>
        <source>Succeeded</source>
        <translation>Succeeded</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Failed</translation>
    </message>
    <message numerus="yes">
        <source>%1 ms, %n statement(s)</source>
        <translation>
            <numerusform>%1 ms, %n statement</numerusform>
            <numerusform>%1 ms, %n statements</numerusform>
        </translation>
    </message>
    <message>
        <source>When</source>
        <translation>When</translation>
    </message>
    <message>
        <source>Revision</source>
        <translation>Revision</translation>
    </message>
    <message>
        <source>Direction</source>
        <translation>Direction</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Duration</translation>
    </message>
    <message>
        <source>Database user</source>
        <translation>Database user</translation>
    </message>
    <message>
        <source>OS user@host</source>
        <translation>OS user@host</translation>
    </message>
    <message>
        <source>App version</source>
        <translation>App version</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Error</translation>
    </message>
    <message>
        <source>pg_dump -Fc written before this run: %1</source>
        <translation>pg_dump -Fc written before this run: %1</translation>
    </message>
    <message>
        <source>Backup</source>
        <translation>Backup</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::HistoryView</name>
    <message>
        <source>No runs recorded.</source>
        <translation>No runs recorded.</translation>
    </message>
    <message>
        <source>1 run recorded.</source>
        <translation>1 run recorded.</translation>
    </message>
    <message>
        <source>%1 runs recorded.</source>
        <translation>%1 runs recorded.</translation>
    </message>
    <message>
        <source>1 run recorded, and it failed.</source>
        <translation>1 run recorded, and it failed.</translation>
    </message>
    <message>
        <source>%1 runs recorded, %2 failed.</source>
        <translation>%1 runs recorded, %2 failed.</translation>
    </message>
    <message>
        <source>Statements…</source>
        <translation>Statements…</translation>
    </message>
    <message>
        <source>The statements the selected run ran, with their times and results (or double-click a run)</source>
        <translation>The statements the selected run ran, with their times and results (or double-click a run)</translation>
    </message>
    <message>
        <source>Statements</source>
        <translation>Statements</translation>
    </message>
    <message>
        <source>The statements of this run could not be read: %1</source>
        <translation>The statements of this run could not be read: %1</translation>
    </message>
    <message>
        <source>The history could not be read: %1</source>
        <translation>The history could not be read: %1</translation>
    </message>
    <message>
        <source>The newest %1 runs that match the filter.</source>
        <translation>The newest %1 runs that match the filter.</translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) match the filter.</source>
        <translation>
            <numerusform>%n run matches the filter.</numerusform>
            <numerusform>%n runs match the filter.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MigrationDesk::KeysetQuery</name>
    <message>
        <source>The column “%1” is masked: it cannot be sorted, filtered or searched. Reveal its values first (right-click its header).</source>
        <translation>The column “%1” is masked: it cannot be sorted, filtered or searched. Reveal its values first (right-click its header).</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::MainWindow</name>
    <message>
        <source>MigrationDesk</source>
        <translation>MigrationDesk</translation>
    </message>
    <message>
        <source>Connect…</source>
        <translation>Connect…</translation>
    </message>
    <message>
        <source>Connect to a database</source>
        <translation>Connect to a database</translation>
    </message>
    <message>
        <source>Disconnect</source>
        <translation>Disconnect</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>Read the database&apos;s revision and history again</source>
        <translation>Read the database&apos;s revision and history again</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Quit</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>Main</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <source>&amp;Migrations</source>
        <translation>&amp;Migrations</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Language</translation>
    </message>
    <message>
        <source>System</source>
        <translation>System</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Language</translation>
    </message>
    <message>
        <source>Drift</source>
        <translation>Drift</translation>
    </message>
    <message>
        <source>The last check found differences between the database and its scripts; the Migrations view lists them.</source>
        <translation>The last check found differences between the database and its scripts; the Migrations view lists them.</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>Connecting to %1…</translation>
    </message>
    <message>
        <source>Unknown profile</source>
        <translation>Unknown profile</translation>
    </message>
    <message>
        <source>There is no saved connection profile named &quot;%1&quot;.</source>
        <translation>There is no saved connection profile named &quot;%1&quot;.</translation>
    </message>
    <message>
        <source>Reading the password of %1 from the keychain…</source>
        <translation>Reading the password of %1 from the keychain…</translation>
    </message>
    <message>
        <source>%1 — MigrationDesk</source>
        <translation>%1 — MigrationDesk</translation>
    </message>
    <message>
        <source>%1 · PostgreSQL %2</source>
        <translation>%1 · PostgreSQL %2</translation>
    </message>
    <message>
        <source>Server version %1</source>
        <translation>Server version %1</translation>
    </message>
    <message>
        <source>read-only</source>
        <translation>read-only</translation>
    </message>
    <message>
        <source>The session is read-only (default_transaction_read_only or a standby server).</source>
        <translation>The session is read-only (default_transaction_read_only or a standby server).</translation>
    </message>
    <message>
        <source>read-write</source>
        <translation>read-write</translation>
    </message>
    <message>
        <source>This role may not create objects in the database.</source>
        <translation>This role may not create objects in the database.</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>Not connected</translation>
    </message>
    <message>
        <source>Could not connect</source>
        <translation>Could not connect</translation>
    </message>
    <message>
        <source>Could not connect.</source>
        <translation>Could not connect.</translation>
    </message>
    <message>
        <source>Could not connect to %1.</source>
        <translation>Could not connect to %1.</translation>
    </message>
    <message>
        <source>The migration scripts in %1 have errors</source>
        <translation>The migration scripts in %1 have errors</translation>
    </message>
    <message>
        <source>Working…</source>
        <translation>Working…</translation>
    </message>
    <message>
        <source>Revision: none</source>
        <translation>Revision: none</translation>
    </message>
    <message>
        <source>%1 (head)</source>
        <translation>%1 (head)</translation>
    </message>
    <message>
        <source>%1 (not in the scripts)</source>
        <translation>%1 (not in the scripts)</translation>
    </message>
    <message>
        <source>Revision: %1</source>
        <translation>Revision: %1</translation>
    </message>
    <message>
        <source>Revisions: %1</source>
        <translation>Revisions: %1</translation>
    </message>
    <message>
        <source>Could not look up table %1: %2</source>
        <translation>Could not look up table %1: %2</translation>
    </message>
    <message>
        <source>Local Sandbox</source>
        <translation>Local Sandbox</translation>
    </message>
    <message>
        <source>Start a private PostgreSQL with the bundled schema and demo data, and connect to it</source>
        <translation>Start a private PostgreSQL with the bundled schema and demo data, and connect to it</translation>
    </message>
    <message>
        <source>Keep the Sandbox Running After Exit</source>
        <translation>Keep the Sandbox Running After Exit</translation>
    </message>
    <message>
        <source>The language can be changed once the running migration has finished.</source>
        <translation>The language can be changed once the running migration has finished.</translation>
    </message>
    <message>
        <source>%1 · PostgreSQL %2 · TLS not verified</source>
        <translation>%1 · PostgreSQL %2 · TLS not verified</translation>
    </message>
    <message>
        <source>Connected to %1</source>
        <translation>Connected to %1</translation>
    </message>
    <message>
        <source>Profile: %1</source>
        <translation>Profile: %1</translation>
    </message>
    <message>
        <source>RTT %1 ms</source>
        <translation>RTT %1 ms</translation>
    </message>
    <message>
        <source>Round-trip time to the database server: how long one empty statement took on the main connection. Measured when connecting and every %1 seconds while idle; each query the window waits for costs at least this much.</source>
        <translation>Round-trip time to the database server: how long one empty statement took on the main connection. Measured when connecting and every %1 seconds while idle; each query the window waits for costs at least this much.</translation>
    </message>
    <message>
        <source>RTT &lt; 1 ms</source>
        <translation>RTT &lt; 1 ms</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::MigrationRunner</name>
    <message>
        <source>Could not take the migration lock: %1</source>
        <translation>Could not take the migration lock: %1</translation>
    </message>
    <message>
        <source>Cancelled while waiting for the migration lock.</source>
        <translation>Cancelled while waiting for the migration lock.</translation>
    </message>
    <message>
        <source>another session</source>
        <translation>another session</translation>
    </message>
    <message>
        <source>pid %1, user %2, application %3, from %4, connected since %5</source>
        <translation>pid %1, user %2, application %3, from %4, connected since %5</translation>
    </message>
    <message>
        <source>Another migration holds the lock on this database (%1); waiting for it to finish.</source>
        <translation>Another migration holds the lock on this database (%1); waiting for it to finish.</translation>
    </message>
    <message>
        <source>Waiting for the server to end the session of an interrupted run (%1).</source>
        <translation>Waiting for the server to end the session of an interrupted run (%1).</translation>
    </message>
    <message>
        <source>The migration scripts are invalid; nothing was run:
%1</source>
        <translation>The migration scripts are invalid; nothing was run:
%1</translation>
    </message>
    <message>
        <source>Could not create the bookkeeping schema %1: %2</source>
        <translation>Could not create the bookkeeping schema %1: %2</translation>
    </message>
    <message>
        <source>Could not read the version table %1: %2</source>
        <translation>Could not read the version table %1: %2</translation>
    </message>
    <message>
        <source>Can&apos;t locate revision identified by &apos;%1&apos;: the database is at a revision that is missing from the scripts in %2.</source>
        <translation>Can&apos;t locate revision identified by &apos;%1&apos;: the database is at a revision that is missing from the scripts in %2.</translation>
    </message>
    <message>
        <source>Stamp failed, nothing was changed: %1</source>
        <translation>Stamp failed, nothing was changed: %1</translation>
    </message>
    <message>
        <source>--single-transaction cannot run revision %1: it is non-transactional (for example CREATE INDEX CONCURRENTLY). Run without --single-transaction.</source>
        <translation>--single-transaction cannot run revision %1: it is non-transactional (for example CREATE INDEX CONCURRENTLY). Run without --single-transaction.</translation>
    </message>
    <message>
        <source>Nothing to do: the database is already at the target.</source>
        <translation>Nothing to do: the database is already at the target.</translation>
    </message>
    <message>
        <source>Backing up the database to %1 with pg_dump -Fc...</source>
        <translation>Backing up the database to %1 with pg_dump -Fc...</translation>
    </message>
    <message>
        <source>The backup failed, so nothing was migrated: %1</source>
        <translation>The backup failed, so nothing was migrated: %1</translation>
    </message>
    <message>
        <source>Backup written to %1.</source>
        <translation>Backup written to %1.</translation>
    </message>
    <message>
        <source>Invalid lock timeout &apos;%1&apos;: %2</source>
        <translation>Invalid lock timeout &apos;%1&apos;: %2</translation>
    </message>
    <message>
        <source>The final COMMIT failed, so nothing was applied: %1</source>
        <translation>The final COMMIT failed, so nothing was applied: %1</translation>
    </message>
    <message>
        <source>Revision %1 (%2) failed during %3, statement %4 at %5:%6:
%7</source>
        <translation>Revision %1 (%2) failed during %3, statement %4 at %5:%6:
%7</translation>
    </message>
    <message>
        <source>The statement could not get a lock within lock_timeout (%1); retry when the table is less busy, or raise --lock-timeout.</source>
        <translation>The statement could not get a lock within lock_timeout (%1); retry when the table is less busy, or raise --lock-timeout.</translation>
    </message>
    <message>
        <source>Running %1 %2: %3</source>
        <translation>Running %1 %2: %3</translation>
    </message>
    <message>
        <source>cancelled by the user</source>
        <translation>cancelled by the user</translation>
    </message>
    <message>
        <source>Revision %1 failed while recording it: %2</source>
        <translation>Revision %1 failed while recording it: %2</translation>
    </message>
    <message>
        <source>The whole run was rolled back; the database is unchanged.</source>
        <translation>The whole run was rolled back; the database is unchanged.</translation>
    </message>
    <message numerus="yes">
        <source>Revision %1 was rolled back; %n earlier revision(s) of this run stay applied.</source>
        <translation>
            <numerusform>Revision %1 was rolled back; %n earlier revision of this run stays applied.</numerusform>
            <numerusform>Revision %1 was rolled back; %n earlier revisions of this run stay applied.</numerusform>
        </translation>
    </message>
    <message>
        <source>Index %1 already exists and is valid; skipping statement %2.</source>
        <translation>Index %1 already exists and is valid; skipping statement %2.</translation>
    </message>
    <message>
        <source>Revision %1 is non-transactional, so it could not be rolled back as a whole: %2 of its %3 statements had completed and stay in place.</source>
        <translation>Revision %1 is non-transactional, so it could not be rolled back as a whole: %2 of its %3 statements had completed and stay in place.</translation>
    </message>
    <message>
        <source>The half-built invalid index(es) %1 were dropped.</source>
        <translation>The half-built invalid index(es) %1 were dropped.</translation>
    </message>
    <message>
        <source>The version table was not changed; the next run resumes at statement %1.</source>
        <translation>The version table was not changed; the next run resumes at statement %1.</translation>
    </message>
    <message>
        <source>Dropped the invalid index %1 left by an interrupted CREATE INDEX CONCURRENTLY.</source>
        <translation>Dropped the invalid index %1 left by an interrupted CREATE INDEX CONCURRENTLY.</translation>
    </message>
    <message>
        <source>Could not drop the invalid index %1: %2</source>
        <translation>Could not drop the invalid index %1: %2</translation>
    </message>
    <message>
        <source>Found an interrupted run of non-transactional revision %1 (%2, started %3): %4 of %5 statements had completed.</source>
        <translation>Found an interrupted run of non-transactional revision %1 (%2, started %3): %4 of %5 statements had completed.</translation>
    </message>
    <message>
        <source>Dropped the invalid index(es) it left behind: %1.</source>
        <translation>Dropped the invalid index(es) it left behind: %1.</translation>
    </message>
    <message>
        <source>The script has changed since then.</source>
        <translation>The script has changed since then.</translation>
    </message>
    <message>
        <source>Resuming it at statement %1.</source>
        <translation>Resuming it at statement %1.</translation>
    </message>
    <message>
        <source>This run does not retry it; its completed statements were left in place.</source>
        <translation>This run does not retry it; its completed statements were left in place.</translation>
    </message>
    <message>
        <source>Warning: the schema snapshot could not be recorded, so `check` cannot detect drift until the next run: %1</source>
        <translation>Warning: the schema snapshot could not be recorded, so `check` cannot detect drift until the next run: %1</translation>
    </message>
    <message>
        <source>Restarting it at statement 1, as asked.</source>
        <translation>Restarting it at statement 1, as asked.</translation>
    </message>
    <message>
        <source>Revision %1 was interrupted after %2 of its statements had completed, and its script %3 has changed since then, so resuming it by position could skip or repeat statements; nothing was run. Make the script safe to run again from its first statement (for example with IF NOT EXISTS), then restart the revision from statement 1 (migrationdesk-cli: --restart-revision).</source>
        <translation>Revision %1 was interrupted after %2 of its statements had completed, and its script %3 has changed since then, so resuming it by position could skip or repeat statements; nothing was run. Make the script safe to run again from its first statement (for example with IF NOT EXISTS), then restart the revision from statement 1 (migrationdesk-cli: --restart-revision).</translation>
    </message>
    <message>
        <source>The script has changed since, so which statements those were cannot be told from it; no revision accounts for their work, so remove it by hand if it is unwanted.</source>
        <translation>The script has changed since, so which statements those were cannot be told from it; no revision accounts for their work, so remove it by hand if it is unwanted.</translation>
    </message>
    <message>
        <source>line %1: %2</source>
        <translation>line %1: %2</translation>
    </message>
    <message>
        <source>No revision accounts for their work, so remove it by hand if it is unwanted: %1.</source>
        <translation>No revision accounts for their work, so remove it by hand if it is unwanted: %1.</translation>
    </message>
    <message>
        <source>Connected through a connection pooler (PgBouncer or similar): the migration lock is held in a transaction, settings are made per transaction, and non-transactional revisions are refused.</source>
        <translation>Connected through a connection pooler (PgBouncer or similar): the migration lock is held in a transaction, settings are made per transaction, and non-transactional revisions are refused.</translation>
    </message>
    <message>
        <source>The version table %1 holds revision %2 more than once (it has no primary key), so it cannot be updated one row at a time; nothing was run. Delete the extra rows so that each revision appears once, then run again.</source>
        <translation>The version table %1 holds revision %2 more than once (it has no primary key), so it cannot be updated one row at a time; nothing was run. Delete the extra rows so that each revision appears once, then run again.</translation>
    </message>
    <message>
        <source>Revision %1 is non-transactional (for example CREATE INDEX CONCURRENTLY), and this connection goes through a connection pooler (PgBouncer or similar), where each of its statements may run in another server session, without the migration lock or its settings. Nothing was run: connect directly to the PostgreSQL server to apply it.</source>
        <translation>Revision %1 is non-transactional (for example CREATE INDEX CONCURRENTLY), and this connection goes through a connection pooler (PgBouncer or similar), where each of its statements may run in another server session, without the migration lock or its settings. Nothing was run: connect directly to the PostgreSQL server to apply it.</translation>
    </message>
    <message>
        <source>The schema snapshot was not updated, because the database holds work of a revision that is not recorded (see above); `check` reports it as drift until the next successful run records a new snapshot.</source>
        <translation>The schema snapshot was not updated, because the database holds work of a revision that is not recorded (see above); `check` reports it as drift until the next successful run records a new snapshot.</translation>
    </message>
    <message>
        <source>the script changed the version table %1 (dropped, renamed, truncated, altered or wrote to it); only the runner may change it</source>
        <translation>the script changed the version table %1 (dropped, renamed, truncated, altered or wrote to it); only the runner may change it</translation>
    </message>
    <message>
        <source>Revision %1 was not started, because its progress could not be recorded: %2
Nothing was changed.</source>
        <translation>Revision %1 was not started, because its progress could not be recorded: %2
Nothing was changed.</translation>
    </message>
    <message>
        <source>the statement opened a transaction, which a non-transactional revision must not; it was rolled back</source>
        <translation>the statement opened a transaction, which a non-transactional revision must not; it was rolled back</translation>
    </message>
    <message>
        <source>Revision %1 is non-transactional: %2 of its %3 statements had completed and stay in place; the next run resumes after them.</source>
        <translation>Revision %1 is non-transactional: %2 of its %3 statements had completed and stay in place; the next run resumes after them.</translation>
    </message>
    <message>
        <source>Statement %1 of revision %2 (%3:%4) ended the transaction the runner had opened for it, so the run stopped.</source>
        <translation>Statement %1 of revision %2 (%3:%4) ended the transaction the runner had opened for it, so the run stopped.</translation>
    </message>
    <message>
        <source>A statement of revision %1 (%2) ended the transaction the runner had opened for it and began another, so the run stopped.</source>
        <translation>A statement of revision %1 (%2) ended the transaction the runner had opened for it and began another, so the run stopped.</translation>
    </message>
    <message>
        <source>It rolled back the whole run: the database is unchanged.</source>
        <translation>It rolled back the whole run: the database is unchanged.</translation>
    </message>
    <message numerus="yes">
        <source>It rolled back the statements of revision %1 before it; %n earlier revision(s) of this run stay applied.</source>
        <translation>
            <numerusform>It rolled back the statements of revision %1 before it; %n earlier revision of this run stays applied.</numerusform>
            <numerusform>It rolled back the statements of revision %1 before it; %n earlier revisions of this run stay applied.</numerusform>
        </translation>
    </message>
    <message>
        <source>Undo them by hand (or make the script safe to run again) before the next run.</source>
        <translation>Undo them by hand (or make the script safe to run again) before the next run.</translation>
    </message>
    <message numerus="yes">
        <source>It committed everything before it: the %n earlier revision(s) of this run are applied and recorded, and the statements of revision %1 before it stay in place, but revision %1 is not recorded in the version table.</source>
        <translation>
            <numerusform>It committed everything before it: the %n earlier revision of this run is applied and recorded, and the statements of revision %1 before it stay in place, but revision %1 is not recorded in the version table.</numerusform>
            <numerusform>It committed everything before it: the %n earlier revisions of this run are applied and recorded, and the statements of revision %1 before it stay in place, but revision %1 is not recorded in the version table.</numerusform>
        </translation>
    </message>
    <message>
        <source>It committed the statements of revision %1 before it, which stay in place, but revision %1 is not recorded in the version table.</source>
        <translation>It committed the statements of revision %1 before it, which stay in place, but revision %1 is not recorded in the version table.</translation>
    </message>
    <message>
        <source>Whether the work before it was committed is unknown; revision %1 is not recorded in the version table. Check the database by hand before the next run.</source>
        <translation>Whether the work before it was committed is unknown; revision %1 is not recorded in the version table. Check the database by hand before the next run.</translation>
    </message>
    <message>
        <source>The connection to the server was lost during statement %1 of revision %2: %3</source>
        <translation>The connection to the server was lost during statement %1 of revision %2: %3</translation>
    </message>
    <message>
        <source>The connection to the server was lost during revision %1: %2</source>
        <translation>The connection to the server was lost during revision %1: %2</translation>
    </message>
    <message>
        <source>It was lost while the revision was being recorded, so whether revision %1 was committed is unknown: run `current` to see.</source>
        <translation>It was lost while the revision was being recorded, so whether revision %1 was committed is unknown: run `current` to see.</translation>
    </message>
    <message>
        <source>The server rolls back the transaction of a lost session, so nothing of this run is applied.</source>
        <translation>The server rolls back the transaction of a lost session, so nothing of this run is applied.</translation>
    </message>
    <message numerus="yes">
        <source>The server rolls back the transaction of a lost session, so revision %1 is not applied; %n earlier revision(s) of this run stay applied.</source>
        <translation>
            <numerusform>The server rolls back the transaction of a lost session, so revision %1 is not applied; %n earlier revision of this run stays applied.</numerusform>
            <numerusform>The server rolls back the transaction of a lost session, so revision %1 is not applied; %n earlier revisions of this run stay applied.</numerusform>
        </translation>
    </message>
    <message>
        <source>pid %1 (application &apos;%2&apos;, user %3)</source>
        <translation>pid %1 (application &apos;%2&apos;, user %3)</translation>
    </message>
    <message>
        <source>pid %1, user %2, application &apos;%3&apos;, from %4, %5 for %6 s: %7</source>
        <translation>pid %1, user %2, application &apos;%3&apos;, from %4, %5 for %6 s: %7</translation>
    </message>
    <message>
        <source>Waiting for a lock held by:</source>
        <translation>Waiting for a lock held by:</translation>
    </message>
    <message>
        <source>Invalid statement timeout &apos;%1&apos;: %2</source>
        <translation>Invalid statement timeout &apos;%1&apos;: %2</translation>
    </message>
    <message>
        <source>Try %1 of %2 ended at lock_timeout; trying again in %3 s.</source>
        <translation>Try %1 of %2 ended at lock_timeout; trying again in %3 s.</translation>
    </message>
    <message>
        <source>Cancelled while waiting to try again after a lock timeout.</source>
        <translation>Cancelled while waiting to try again after a lock timeout.</translation>
    </message>
    <message>
        <source>The lock was held by %1.</source>
        <translation>The lock was held by %1.</translation>
    </message>
    <message>
        <source>The statement ran longer than --statement-timeout (%1), so the server stopped it.</source>
        <translation>The statement ran longer than --statement-timeout (%1), so the server stopped it.</translation>
    </message>
    <message>
        <source>Try %1 of %2 ended at lock_timeout; it is tried again.</source>
        <translation>Try %1 of %2 ended at lock_timeout; it is tried again.</translation>
    </message>
    <message>
        <source>Try %1 of %2 ended at lock_timeout; no tries are left.</source>
        <translation>Try %1 of %2 ended at lock_timeout; no tries are left.</translation>
    </message>
    <message>
        <source>The server did not report the transaction&apos;s id.</source>
        <translation>The server did not report the transaction&apos;s id.</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::MigrationsView</name>
    <message>
        <source>⚠ script changed after it was applied</source>
        <translation>⚠ script changed after it was applied</translation>
    </message>
    <message>
        <source>Migrations</source>
        <translation>Migrations</translation>
    </message>
    <message>
        <source>Select a revision to see its SQL and its runs.</source>
        <translation>Select a revision to see its SQL and its runs.</translation>
    </message>
    <message>
        <source>Upgrade SQL</source>
        <translation>Upgrade SQL</translation>
    </message>
    <message>
        <source>Downgrade SQL</source>
        <translation>Downgrade SQL</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>Runs</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>Timeline</translation>
    </message>
    <message>
        <source>History</source>
        <translation>History</translation>
    </message>
    <message>
        <source>Upgrade to here</source>
        <translation>Upgrade to here</translation>
    </message>
    <message>
        <source>Apply every pending revision up to the selected one</source>
        <translation>Apply every pending revision up to the selected one</translation>
    </message>
    <message>
        <source>Downgrade to here</source>
        <translation>Downgrade to here</translation>
    </message>
    <message>
        <source>Undo every applied revision above the selected one</source>
        <translation>Undo every applied revision above the selected one</translation>
    </message>
    <message>
        <source>Upgrade to head</source>
        <translation>Upgrade to head</translation>
    </message>
    <message>
        <source>Apply every pending revision (alembic upgrade heads)</source>
        <translation>Apply every pending revision (alembic upgrade heads)</translation>
    </message>
    <message>
        <source>Downgrade one step</source>
        <translation>Downgrade one step</translation>
    </message>
    <message>
        <source>Undo the most recent revision (alembic downgrade -1)</source>
        <translation>Undo the most recent revision (alembic downgrade -1)</translation>
    </message>
    <message>
        <source>Stamp…</source>
        <translation>Stamp…</translation>
    </message>
    <message>
        <source>Set the version table to a revision without running any SQL</source>
        <translation>Set the version table to a revision without running any SQL</translation>
    </message>
    <message>
        <source>Check for drift</source>
        <translation>Check for drift</translation>
    </message>
    <message>
        <source>Compare the live schema with the one recorded after the last run, and the scripts with the ones that were applied</source>
        <translation>Compare the live schema with the one recorded after the last run, and the scripts with the ones that were applied</translation>
    </message>
    <message>
        <source>Connect to a database to see its migration history.</source>
        <translation>Connect to a database to see its migration history.</translation>
    </message>
    <message>
        <source>No runs recorded in this database yet.</source>
        <translation>No runs recorded in this database yet.</translation>
    </message>
    <message>
        <source>This session is read-only (a hot standby or default_transaction_read_only): migrations are disabled.</source>
        <translation>This session is read-only (a hot standby or default_transaction_read_only): migrations are disabled.</translation>
    </message>
    <message>
        <source>This role may not create objects in the database: migrations are disabled.</source>
        <translation>This role may not create objects in the database: migrations are disabled.</translation>
    </message>
    <message>
        <source>The migration scripts are invalid, so nothing can run:
%1</source>
        <translation>The migration scripts are invalid, so nothing can run:
%1</translation>
    </message>
    <message>
        <source>Not connected: the timeline shows the scripts only.</source>
        <translation>Not connected: the timeline shows the scripts only.</translation>
    </message>
    <message>
        <source>-- No script for revision %1: the database records it, but the migrations folder does not have it.</source>
        <translation>-- No script for revision %1: the database records it, but the migrations folder does not have it.</translation>
    </message>
    <message>
        <source>Migration failed</source>
        <translation>Migration failed</translation>
    </message>
    <message>
        <source>The migration did not run.</source>
        <translation>The migration did not run.</translation>
    </message>
    <message>
        <source>The migration failed at revision %1.</source>
        <translation>The migration failed at revision %1.</translation>
    </message>
    <message>
        <source>Statement %1:
%2</source>
        <translation>Statement %1:
%2</translation>
    </message>
    <message>
        <source>Stamp</source>
        <translation>Stamp</translation>
    </message>
    <message>
        <source>Record this revision in the version table without running any SQL (for a schema that was changed by hand or restored from a dump):</source>
        <translation>Record this revision in the version table without running any SQL (for a schema that was changed by hand or restored from a dump):</translation>
    </message>
    <message>
        <source>heads (every head revision)</source>
        <translation>heads (every head revision)</translation>
    </message>
    <message>
        <source>base (empty the version table)</source>
        <translation>base (empty the version table)</translation>
    </message>
    <message>
        <source>Continue…</source>
        <translation>Continue…</translation>
    </message>
    <message>
        <source>The drift check could not run:
%1</source>
        <translation>The drift check could not run:
%1</translation>
    </message>
    <message>
        <source>No drift: the schema matches the snapshot recorded after the last run, and every applied script is unchanged.</source>
        <translation>No drift: the schema matches the snapshot recorded after the last run, and every applied script is unchanged.</translation>
    </message>
    <message>
        <source>The schema differs from the one recorded after the last run:</source>
        <translation>The schema differs from the one recorded after the last run:</translation>
    </message>
    <message>
        <source>Scripts edited after they were applied:</source>
        <translation>Scripts edited after they were applied:</translation>
    </message>
    <message>
        <source>No schema snapshot is recorded yet; it is taken after the first run.</source>
        <translation>No schema snapshot is recorded yet; it is taken after the first run.</translation>
    </message>
    <message>
        <source>Drift found</source>
        <translation>Drift found</translation>
    </message>
    <message>
        <source>Drift check</source>
        <translation>Drift check</translation>
    </message>
    <message>
        <source>⚠ The check failed.</source>
        <translation>⚠ The check failed.</translation>
    </message>
    <message>
        <source>⚠ The database has drifted from its migrations.</source>
        <translation>⚠ The database has drifted from its migrations.</translation>
    </message>
    <message>
        <source>✓ No drift found.</source>
        <translation>✓ No drift found.</translation>
    </message>
    <message>
        <source>Record baseline</source>
        <translation>Record baseline</translation>
    </message>
    <message>
        <source>Record the current schema as the snapshot for %1, so that later checks compare with it. Nothing else changes.</source>
        <translation>Record the current schema as the snapshot for %1, so that later checks compare with it. Nothing else changes.</translation>
    </message>
    <message>
        <source>ⓘ No schema snapshot to compare with.</source>
        <translation>ⓘ No schema snapshot to compare with.</translation>
    </message>
    <message>
        <source>The baseline was not recorded: %1</source>
        <translation>The baseline was not recorded: %1</translation>
    </message>
    <message>
        <source>Recorded the current schema as the snapshot for %1; later checks compare with it.</source>
        <translation>Recorded the current schema as the snapshot for %1; later checks compare with it.</translation>
    </message>
    <message>
        <source>No schema snapshot is recorded for revision %1: it was applied outside MigrationDesk (e.g. by Alembic), so schema drift cannot be checked.</source>
        <translation>No schema snapshot is recorded for revision %1: it was applied outside MigrationDesk (e.g. by Alembic), so schema drift cannot be checked.</translation>
    </message>
    <message>
        <source>No schema snapshot is recorded for revision %1, so schema drift cannot be checked.</source>
        <translation>No schema snapshot is recorded for revision %1, so schema drift cannot be checked.</translation>
    </message>
    <message>
        <source>Record baseline saves the current schema as the snapshot for %1 (nothing else changes); later checks compare with it.</source>
        <translation>Record baseline saves the current schema as the snapshot for %1 (nothing else changes); later checks compare with it.</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::PasswordStore</name>
    <message>
        <source>The system keychain holds no password for this connection.</source>
        <translation>The system keychain holds no password for this connection.</translation>
    </message>
    <message>
        <source>No system keychain is available (%1), so passwords cannot be remembered. MigrationDesk will ask for the password in each session.</source>
        <translation>No system keychain is available (%1), so passwords cannot be remembered. MigrationDesk will ask for the password in each session.</translation>
    </message>
    <message>
        <source>Access to the system keychain was denied: %1</source>
        <translation>Access to the system keychain was denied: %1</translation>
    </message>
    <message>
        <source>The system keychain reported an error: %1</source>
        <translation>The system keychain reported an error: %1</translation>
    </message>
    <message>
        <source>The system keychain did not answer within %1 seconds.</source>
        <translation>The system keychain did not answer within %1 seconds.</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::PlanDialog</name>
    <message>
        <source>base (empty)</source>
        <translation>base (empty)</translation>
    </message>
    <message>
        <source>Upgrade to %1</source>
        <translation>Upgrade to %1</translation>
    </message>
    <message>
        <source>Downgrade one step</source>
        <translation>Downgrade one step</translation>
    </message>
    <message>
        <source>Downgrade to %1</source>
        <translation>Downgrade to %1</translation>
    </message>
    <message>
        <source>Stamp %1</source>
        <translation>Stamp %1</translation>
    </message>
    <message>
        <source>Confirm: %1</source>
        <translation>Confirm: %1</translation>
    </message>
    <message>
        <source>This cannot run:
%1</source>
        <translation>This cannot run:
%1</translation>
    </message>
    <message>
        <source>Only the version table changes; no migration SQL runs.</source>
        <translation>Only the version table changes; no migration SQL runs.</translation>
    </message>
    <message>
        <source>1 step, in its own transaction unless marked otherwise.</source>
        <translation>1 step, in its own transaction unless marked otherwise.</translation>
    </message>
    <message>
        <source>%1 steps, each in its own transaction unless marked otherwise.</source>
        <translation>%1 steps, each in its own transaction unless marked otherwise.</translation>
    </message>
    <message>
        <source>Version table: %1  →  %2</source>
        <translation>Version table: %1  →  %2</translation>
    </message>
    <message>
        <source>Step %1 (%2): %3</source>
        <translation>Step %1 (%2): %3</translation>
    </message>
    <message>
        <source>⚠ Read before running:</source>
        <translation>⚠ Read before running:</translation>
    </message>
    <message>
        <source>upgrade</source>
        <translation>upgrade</translation>
    </message>
    <message>
        <source>downgrade</source>
        <translation>downgrade</translation>
    </message>
    <message>
        <source>    non-transactional: each statement commits on its own</source>
        <translation>    non-transactional: each statement commits on its own</translation>
    </message>
    <message>
        <source>-- Step %1 of %2: %3 %4 (%5)</source>
        <translation>-- Step %1 of %2: %3 %4 (%5)</translation>
    </message>
    <message>
        <source>-- Stamp: only the version table is rewritten.
-- Before: %1
-- After:  %2
</source>
        <translation>-- Stamp: only the version table is rewritten.
-- Before: %1
-- After:  %2
</translation>
    </message>
    <message>
        <source>-- Nothing to do: the database is already at the target.
</source>
        <translation>-- Nothing to do: the database is already at the target.
</translation>
    </message>
    <message>
        <source>Back up first (pg_dump -Fc to):</source>
        <translation>Back up first (pg_dump -Fc to):</translation>
    </message>
    <message>
        <source>backup file</source>
        <translation>backup file</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <source>Stamp</source>
        <translation>Stamp</translation>
    </message>
    <message>
        <source>Back up to</source>
        <translation>Back up to</translation>
    </message>
    <message>
        <source>pg_dump custom format (*.dump);;All files (*)</source>
        <translation>pg_dump custom format (*.dump);;All files (*)</translation>
    </message>
    <message>
        <source>Run is disabled: step %1 (%2) cannot run as written (%3, line %4). %5</source>
        <translation>Run is disabled: step %1 (%2) cannot run as written (%3, line %4). %5</translation>
    </message>
    <message numerus="yes">
        <source>    ⚠ %n finding(s) below</source>
        <translation>
            <numerusform>    ⚠ %n finding below</numerusform>
            <numerusform>    ⚠ %n findings below</numerusform>
        </translation>
    </message>
    <message>
        <source>I understand: a step above is marked danger (it locks, rewrites or drops a large live table).</source>
        <translation>I understand: a step above is marked danger (it locks, rewrites or drops a large live table).</translation>
    </message>
    <message>
        <source>Tick &quot;I understand&quot; first: a step is marked danger.</source>
        <translation>Tick &quot;I understand&quot; first: a step is marked danger.</translation>
    </message>
    <message>
        <source>more than %1 rows</source>
        <translation>more than %1 rows</translation>
    </message>
    <message>
        <source>≈ %1 rows</source>
        <translation>≈ %1 rows</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>%1 lock</source>
        <translation>%1 lock</translation>
    </message>
    <message>
        <source>allowed: %1</source>
        <translation>allowed: %1</translation>
    </message>
    <message>
        <source>Upgrade to head</source>
        <translation>Upgrade to head</translation>
    </message>
    <message>
        <source>Stamp head</source>
        <translation>Stamp head</translation>
    </message>
    <message>
        <source>Upgrade</source>
        <translation>Upgrade</translation>
    </message>
    <message>
        <source>Downgrade</source>
        <translation>Downgrade</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::PlanReviewer</name>
    <message>
        <source>The migration scripts are invalid:
%1</source>
        <translation>The migration scripts are invalid:
%1</translation>
    </message>
    <message>
        <source>The comment allowing %1 gives no reason, so it allows nothing: write -- review: allow %1 &lt;why this is safe here&gt;.</source>
        <translation>The comment allowing %1 gives no reason, so it allows nothing: write -- review: allow %1 &lt;why this is safe here&gt;.</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::PurgeDialog</name>
    <message>
        <source>Delete Permanently</source>
        <translation>Delete Permanently</translation>
    </message>
    <message>
        <source>(no name)</source>
        <translation>(no name)</translation>
    </message>
    <message numerus="yes">
        <source>… and %n more</source>
        <translation>
            <numerusform>… and %n more</numerusform>
            <numerusform>… and %n more</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n row(s) will be deleted permanently from %1. A permanent delete cannot be undone, not even with Undo; the audit table keeps a copy of their values.</source>
        <translation>
            <numerusform>%n row will be deleted permanently from %1. A permanent delete cannot be undone, not even with Undo; the audit table keeps a copy of its values.</numerusform>
            <numerusform>%n rows will be deleted permanently from %1. A permanent delete cannot be undone, not even with Undo; the audit table keeps a copy of their values.</numerusform>
        </translation>
    </message>
    <message>
        <source>Type the title “%1” to confirm:</source>
        <translation>Type the title “%1” to confirm:</translation>
    </message>
    <message>
        <source>Type the number of rows, %1, to confirm:</source>
        <translation>Type the number of rows, %1, to confirm:</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::ReviewRules</name>
    <message>
        <source>more than %1 rows</source>
        <translation>more than %1 rows</translation>
    </message>
    <message>
        <source>≈ %1 rows</source>
        <translation>≈ %1 rows</translation>
    </message>
    <message>
        <source>size unknown</source>
        <translation>size unknown</translation>
    </message>
    <message>
        <source>Uses the enum value &apos;%1&apos;, added on line %2 in the same transaction: PostgreSQL refuses a new enum value before its transaction commits. Add the value in a revision of its own (or a non-transactional one), then use it in the next.</source>
        <translation>Uses the enum value &apos;%1&apos;, added on line %2 in the same transaction: PostgreSQL refuses a new enum value before its transaction commits. Add the value in a revision of its own (or a non-transactional one), then use it in the next.</translation>
    </message>
    <message>
        <source>%1 cannot run inside a transaction block, and this revision is transactional: it would fail. Mark the revision non-transactional (-- transactional: false).</source>
        <translation>%1 cannot run inside a transaction block, and this revision is transactional: it would fail. Mark the revision non-transactional (-- transactional: false).</translation>
    </message>
    <message>
        <source>CREATE INDEX CONCURRENTLY</source>
        <translation>CREATE INDEX CONCURRENTLY</translation>
    </message>
    <message>
        <source>Builds an index on %1 (%2) without CONCURRENTLY: writes to the table wait until the build ends. Use CREATE INDEX CONCURRENTLY in a non-transactional revision.</source>
        <translation>Builds an index on %1 (%2) without CONCURRENTLY: writes to the table wait until the build ends. Use CREATE INDEX CONCURRENTLY in a non-transactional revision.</translation>
    </message>
    <message>
        <source>DROP INDEX CONCURRENTLY</source>
        <translation>DROP INDEX CONCURRENTLY</translation>
    </message>
    <message>
        <source>Drops index %1 without CONCURRENTLY: its table is locked against reads and writes meanwhile. Use DROP INDEX CONCURRENTLY in a non-transactional revision.</source>
        <translation>Drops index %1 without CONCURRENTLY: its table is locked against reads and writes meanwhile. Use DROP INDEX CONCURRENTLY in a non-transactional revision.</translation>
    </message>
    <message>
        <source>Drops an index of %1 (%2) without CONCURRENTLY: the table is locked against reads and writes meanwhile. Use DROP INDEX CONCURRENTLY in a non-transactional revision.</source>
        <translation>Drops an index of %1 (%2) without CONCURRENTLY: the table is locked against reads and writes meanwhile. Use DROP INDEX CONCURRENTLY in a non-transactional revision.</translation>
    </message>
    <message>
        <source>REINDEX CONCURRENTLY</source>
        <translation>REINDEX CONCURRENTLY</translation>
    </message>
    <message>
        <source>VACUUM</source>
        <translation>VACUUM</translation>
    </message>
    <message>
        <source>Adds a column whose default is volatile (or generated) to %1 (%2): PostgreSQL rewrites the whole table under an ACCESS EXCLUSIVE lock. Add the column without a default (or with a constant one), then fill it in batches.</source>
        <translation>Adds a column whose default is volatile (or generated) to %1 (%2): PostgreSQL rewrites the whole table under an ACCESS EXCLUSIVE lock. Add the column without a default (or with a constant one), then fill it in batches.</translation>
    </message>
    <message>
        <source>Changes the type of column %3 of %1 (%2) in a way PostgreSQL performs by rewriting the whole table under an ACCESS EXCLUSIVE lock. Add a new column, fill it in batches and switch over instead.</source>
        <translation>Changes the type of column %3 of %1 (%2) in a way PostgreSQL performs by rewriting the whole table under an ACCESS EXCLUSIVE lock. Add a new column, fill it in batches and switch over instead.</translation>
    </message>
    <message>
        <source>SET NOT NULL on column %3 of %1 (%2) scans the whole table under an ACCESS EXCLUSIVE lock. Add CHECK (%3 IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT it, then SET NOT NULL.</source>
        <translation>SET NOT NULL on column %3 of %1 (%2) scans the whole table under an ACCESS EXCLUSIVE lock. Add CHECK (%3 IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT it, then SET NOT NULL.</translation>
    </message>
    <message>
        <source>Adds a CHECK constraint to %1 (%2) without NOT VALID: the whole table is scanned under an ACCESS EXCLUSIVE lock. Add it NOT VALID, then VALIDATE CONSTRAINT (which does not block writes).</source>
        <translation>Adds a CHECK constraint to %1 (%2) without NOT VALID: the whole table is scanned under an ACCESS EXCLUSIVE lock. Add it NOT VALID, then VALIDATE CONSTRAINT (which does not block writes).</translation>
    </message>
    <message>
        <source>Adds a foreign key to %1 (%2) without NOT VALID: the whole table is checked while writes to it and the referenced table wait. Add it NOT VALID, then VALIDATE CONSTRAINT.</source>
        <translation>Adds a foreign key to %1 (%2) without NOT VALID: the whole table is checked while writes to it and the referenced table wait. Add it NOT VALID, then VALIDATE CONSTRAINT.</translation>
    </message>
    <message>
        <source>Adds a UNIQUE or PRIMARY KEY constraint to %1 (%2), which builds its index under an ACCESS EXCLUSIVE lock. Build a unique index CONCURRENTLY first, then ADD CONSTRAINT ... USING INDEX.</source>
        <translation>Adds a UNIQUE or PRIMARY KEY constraint to %1 (%2), which builds its index under an ACCESS EXCLUSIVE lock. Build a unique index CONCURRENTLY first, then ADD CONSTRAINT ... USING INDEX.</translation>
    </message>
    <message>
        <source>Renames table %1: deployed code that still uses the old name fails until it is updated. Deploy code that works with both names first, or use a view.</source>
        <translation>Renames table %1: deployed code that still uses the old name fails until it is updated. Deploy code that works with both names first, or use a view.</translation>
    </message>
    <message>
        <source>Renames column %1.%2: deployed code that still uses the old name fails until it is updated. Add the new column and migrate in steps instead.</source>
        <translation>Renames column %1.%2: deployed code that still uses the old name fails until it is updated. Add the new column and migrate in steps instead.</translation>
    </message>
    <message>
        <source>unknown row count</source>
        <translation>unknown row count</translation>
    </message>
    <message>
        <source>Drops table %1 and all its data (%2).</source>
        <translation>Drops table %1 and all its data (%2).</translation>
    </message>
    <message>
        <source>Drops column %1.%2 and its values (%3).</source>
        <translation>Drops column %1.%2 and its values (%3).</translation>
    </message>
    <message>
        <source>Empties table %1 (%2).</source>
        <translation>Empties table %1 (%2).</translation>
    </message>
    <message>
        <source>Deletes every row of %1 (%2): the statement has no WHERE.</source>
        <translation>Deletes every row of %1 (%2): the statement has no WHERE.</translation>
    </message>
    <message>
        <source>Overwrites every row of %1 (%2): the statement has no WHERE.</source>
        <translation>Overwrites every row of %1 (%2): the statement has no WHERE.</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::RevisionGraph</name>
    <message>
        <source>Revision %1 is present more than once</source>
        <translation>Revision %1 is present more than once</translation>
    </message>
    <message>
        <source>Empty revision identifier</source>
        <translation>Empty revision identifier</translation>
    </message>
    <message>
        <source>Character(s) &apos;%1&apos; not allowed in revision identifier &apos;%2&apos;</source>
        <translation>Character(s) &apos;%1&apos; not allowed in revision identifier &apos;%2&apos;</translation>
    </message>
    <message>
        <source>Self-loop is detected in revisions (%1)</source>
        <translation>Self-loop is detected in revisions (%1)</translation>
    </message>
    <message>
        <source>Revision %1 referenced from %2 is not present</source>
        <translation>Revision %1 referenced from %2 is not present</translation>
    </message>
    <message>
        <source>Revision %1 lists the same parent more than once</source>
        <translation>Revision %1 lists the same parent more than once</translation>
    </message>
    <message>
        <source>Cycle is detected in revisions (%1)</source>
        <translation>Cycle is detected in revisions (%1)</translation>
    </message>
    <message>
        <source>No such revision or branch &apos;%1&apos;</source>
        <translation>No such revision or branch &apos;%1&apos;</translation>
    </message>
    <message>
        <source>Walked too far</source>
        <translation>Walked too far</translation>
    </message>
    <message>
        <source>Destination %end is not a valid upgrade target from current head(s)</source>
        <translation>Destination %end is not a valid upgrade target from current head(s)</translation>
    </message>
    <message>
        <source>Destination %end is not a valid downgrade target from current head(s)</source>
        <translation>Destination %end is not a valid downgrade target from current head(s)</translation>
    </message>
    <message>
        <source>downgrade -1 from multiple heads is ambiguous; this usage will be disallowed in a future release.</source>
        <translation>downgrade -1 from multiple heads is ambiguous; this usage will be disallowed in a future release.</translation>
    </message>
    <message>
        <source>Multiple heads are present; please specify a single target revision</source>
        <translation>Multiple heads are present; please specify a single target revision</translation>
    </message>
    <message>
        <source>The version table does not match the revisions being stamped</source>
        <translation>The version table does not match the revisions being stamped</translation>
    </message>
    <message>
        <source>Multiple heads are present for given argument &apos;%1&apos;; %2</source>
        <translation>Multiple heads are present for given argument &apos;%1&apos;; %2</translation>
    </message>
    <message>
        <source>Revision %1 is not an ancestor of revision %2</source>
        <translation>Revision %1 is not an ancestor of revision %2</translation>
    </message>
    <message>
        <source>Requested range %start:%end does not refer to ancestor/descendant revisions along the same branch</source>
        <translation>Requested range %start:%end does not refer to ancestor/descendant revisions along the same branch</translation>
    </message>
    <message>
        <source>Multiple head revisions are present for given argument &apos;%head_arg&apos;; please specify a specific target revision, &apos;&lt;branchname&gt;@%head_arg&apos; to narrow to a specific head, or &apos;heads&apos; for all heads</source>
        <translation>Multiple head revisions are present for given argument &apos;%head_arg&apos;; please specify a specific target revision, &apos;&lt;branchname&gt;@%head_arg&apos; to narrow to a specific head, or &apos;heads&apos; for all heads</translation>
    </message>
    <message>
        <source>Can&apos;t locate revision identified by &apos;%1&apos;</source>
        <translation>Can&apos;t locate revision identified by &apos;%1&apos;</translation>
    </message>
    <message>
        <source>Branch labels are not supported: &apos;%1&apos;; use a revision id, a unique prefix of one, or head/heads/base</source>
        <translation>Branch labels are not supported: &apos;%1&apos;; use a revision id, a unique prefix of one, or head/heads/base</translation>
    </message>
    <message>
        <source>Relative revision %1 didn&apos;t produce %2 migrations</source>
        <translation>Relative revision %1 didn&apos;t produce %2 migrations</translation>
    </message>
    <message>
        <source>Requested revision %1 overlaps with other requested revisions %2</source>
        <translation>Requested revision %1 overlaps with other requested revisions %2</translation>
    </message>
    <message>
        <source>; please ensure at least four characters are present for partial revision identifier matches</source>
        <translation>; please ensure at least four characters are present for partial revision identifier matches</translation>
    </message>
    <message>
        <source>Multiple revisions start with &apos;%1&apos;: %2...</source>
        <translation>Multiple revisions start with &apos;%1&apos;: %2...</translation>
    </message>
    <message>
        <source>Ambiguous walk</source>
        <translation>Ambiguous walk</translation>
    </message>
    <message>
        <source>Ambiguous upgrade from multiple current revisions</source>
        <translation>Ambiguous upgrade from multiple current revisions</translation>
    </message>
    <message>
        <source>Not a valid downgrade target from current heads</source>
        <translation>Not a valid downgrade target from current heads</translation>
    </message>
    <message>
        <source>Nothing to drop</source>
        <translation>Nothing to drop</translation>
    </message>
    <message>
        <source>The revision graph is invalid: %1</source>
        <translation>The revision graph is invalid: %1</translation>
    </message>
    <message>
        <source>Branch name &apos;%1&apos; in revision %2 already used by revision %3</source>
        <translation>Branch name &apos;%1&apos; in revision %2 already used by revision %3</translation>
    </message>
    <message>
        <source>Dependency self-loop is detected in revisions (%1)</source>
        <translation>Dependency self-loop is detected in revisions (%1)</translation>
    </message>
    <message>
        <source>Dependency %1 of revision %2 is neither a revision nor a branch label</source>
        <translation>Dependency %1 of revision %2 is neither a revision nor a branch label</translation>
    </message>
    <message>
        <source>Dependency cycle is detected in revisions (%1)</source>
        <translation>Dependency cycle is detected in revisions (%1)</translation>
    </message>
    <message>
        <source>No such branch: &apos;%1&apos;</source>
        <translation>No such branch: &apos;%1&apos;</translation>
    </message>
    <message>
        <source>Revision %1 is not a member of branch &apos;%2&apos;</source>
        <translation>Revision %1 is not a member of branch &apos;%2&apos;</translation>
    </message>
    <message>
        <source>Relative revision %1 is ambiguous on branch &apos;%2&apos;</source>
        <translation>Relative revision %1 is ambiguous on branch &apos;%2&apos;</translation>
    </message>
    <message>
        <source>Revision %1 does not name exactly one branch</source>
        <translation>Revision %1 does not name exactly one branch</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::RowFetcher</name>
    <message>
        <source>Not connected.</source>
        <translation>Not connected.</translation>
    </message>
    <message>
        <source>The table %1.%2 does not exist.</source>
        <translation>The table %1.%2 does not exist.</translation>
    </message>
    <message>
        <source>canceling statement due to user request</source>
        <translation>canceling statement due to user request</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::RunLogDialog</name>
    <message>
        <source>Statements of %1 %2</source>
        <translation>Statements of %1 %2</translation>
    </message>
    <message>
        <source>%1 %2, started %3 by %4</source>
        <translation>%1 %2, started %3 by %4</translation>
    </message>
    <message>
        <source>Succeeded in %1.</source>
        <translation>Succeeded in %1.</translation>
    </message>
    <message>
        <source>Failed after %1.</source>
        <translation>Failed after %1.</translation>
    </message>
    <message>
        <source>Backup written first: %1</source>
        <translation>Backup written first: %1</translation>
    </message>
    <message>
        <source>No statements were recorded for this run (a stamp, or a run recorded by an older version).</source>
        <translation>No statements were recorded for this run (a stamp, or a run recorded by an older version).</translation>
    </message>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>Line</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>Statement</source>
        <translation>Statement</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Failed</translation>
    </message>
    <message>
        <source>Not finished</source>
        <translation>Not finished</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>Failed: %1</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::RunPanel</name>
    <message>
        <source>Running: %1</source>
        <translation>Running: %1</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Starting…</translation>
    </message>
    <message>
        <source>Cancel migration</source>
        <translation>Cancel migration</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>waiting</translation>
    </message>
    <message>
        <source>Stamping the version table…</source>
        <translation>Stamping the version table…</translation>
    </message>
    <message>
        <source>Step %1 of %2: %3 %4</source>
        <translation>Step %1 of %2: %3 %4</translation>
    </message>
    <message>
        <source>upgrade</source>
        <translation>upgrade</translation>
    </message>
    <message>
        <source>downgrade</source>
        <translation>downgrade</translation>
    </message>
    <message>
        <source>running</source>
        <translation>running</translation>
    </message>
    <message>
        <source>%1 of %2 statements</source>
        <translation>%1 of %2 statements</translation>
    </message>
    <message>
        <source>done in %1</source>
        <translation>done in %1</translation>
    </message>
    <message>
        <source>rolled back after %1</source>
        <translation>rolled back after %1</translation>
    </message>
    <message>
        <source>Nothing to do: the database was already at the target.</source>
        <translation>Nothing to do: the database was already at the target.</translation>
    </message>
    <message>
        <source>Succeeded: 1 step applied.</source>
        <translation>Succeeded: 1 step applied.</translation>
    </message>
    <message>
        <source>Succeeded: %1 steps applied.</source>
        <translation>Succeeded: %1 steps applied.</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>Finished</translation>
    </message>
    <message>
        <source>Cancelled. %1</source>
        <translation>Cancelled. %1</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>Failed: %1</translation>
    </message>
    <message>
        <source>Statement %1: %2</source>
        <translation>Statement %1: %2</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Failed</translation>
    </message>
    <message>
        <source>Version table now: %1</source>
        <translation>Version table now: %1</translation>
    </message>
    <message>
        <source>base (empty)</source>
        <translation>base (empty)</translation>
    </message>
    <message>
        <source>Cancelling… the server rolls the running revision back.</source>
        <translation>Cancelling… the server rolls the running revision back.</translation>
    </message>
    <message>
        <source>Cancel requested.</source>
        <translation>Cancel requested.</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::SandboxLauncher</name>
    <message>
        <source>Preparing the local sandbox database…</source>
        <translation>Preparing the local sandbox database…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Local sandbox</source>
        <translation>Local sandbox</translation>
    </message>
    <message>
        <source>The local sandbox is not running.</source>
        <translation>The local sandbox is not running.</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::SandboxUrlAction</name>
    <message>
        <source>Copy Sandbox URL</source>
        <translation>Copy Sandbox URL</translation>
    </message>
    <message>
        <source>Copy the running sandbox&apos;s address, password included, for psql or another tool</source>
        <translation>Copy the running sandbox&apos;s address, password included, for psql or another tool</translation>
    </message>
    <message>
        <source>The sandbox&apos;s URL, with its password, is on the clipboard.</source>
        <translation>The sandbox&apos;s URL, with its password, is on the clipboard.</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::ScheduleDetailPane</name>
    <message>
        <source>Select a schedule to see its details.</source>
        <translation>Select a schedule to see its details.</translation>
    </message>
    <message>
        <source>Description:</source>
        <translation>Description:</translation>
    </message>
    <message>
        <source>Purpose:</source>
        <translation>Purpose:</translation>
    </message>
    <message>
        <source>Location:</source>
        <translation>Location:</translation>
    </message>
    <message>
        <source>Client contact:</source>
        <translation>Client contact:</translation>
    </message>
    <message>
        <source>Reminder:</source>
        <translation>Reminder:</translation>
    </message>
    <message>
        <source>Result:</source>
        <translation>Result:</translation>
    </message>
    <message>
        <source>Follow-up:</source>
        <translation>Follow-up:</translation>
    </message>
    <message>
        <source>Created:</source>
        <translation>Created:</translation>
    </message>
    <message>
        <source>Updated:</source>
        <translation>Updated:</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Save</translation>
    </message>
    <message>
        <source>Disca&amp;rd</source>
        <translation>Disca&amp;rd</translation>
    </message>
    <message>
        <source>Throw away your edits and show the schedule as it is stored now.</source>
        <translation>Throw away your edits and show the schedule as it is stored now.</translation>
    </message>
    <message>
        <source>S&amp;tatus:</source>
        <translation>S&amp;tatus:</translation>
    </message>
    <message>
        <source>Res&amp;ult:</source>
        <translation>Res&amp;ult:</translation>
    </message>
    <message>
        <source>&amp;Follow-up:</source>
        <translation>&amp;Follow-up:</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(none)</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>Yes</translation>
    </message>
    <message>
        <source>No</source>
        <translation>No</translation>
    </message>
    <message>
        <source>Yes, at %1</source>
        <translation>Yes, at %1</translation>
    </message>
    <message>
        <source>Client:</source>
        <translation>Client:</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::ScheduleEditor</name>
    <message>
        <source>Your database role may not change schedules (it lacks UPDATE on public.schedules or on its status, result and follow_up columns). Nothing was saved.
%1</source>
        <translation>Your database role may not change schedules (it lacks UPDATE on public.schedules or on its status, result and follow_up columns). Nothing was saved.
%1</translation>
    </message>
    <message>
        <source>The database is read-only. Nothing was saved.
%1</source>
        <translation>The database is read-only. Nothing was saved.
%1</translation>
    </message>
    <message>
        <source>The database refused the values. Nothing was saved.
%1</source>
        <translation>The database refused the values. Nothing was saved.
%1</translation>
    </message>
    <message>
        <source>Not connected. Nothing was saved.</source>
        <translation>Not connected. Nothing was saved.</translation>
    </message>
    <message>
        <source>No schedule is selected. Nothing was saved.</source>
        <translation>No schedule is selected. Nothing was saved.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a valid status. Choose one of: %2. Nothing was saved.</source>
        <translation>&quot;%1&quot; is not a valid status. Choose one of: %2. Nothing was saved.</translation>
    </message>
    <message>
        <source>%1 could not be saved. Nothing was changed.
%2</source>
        <translation>%1 could not be saved. Nothing was changed.
%2</translation>
    </message>
    <message>
        <source>Not connected: %1 could not be read again.</source>
        <translation>Not connected: %1 could not be read again.</translation>
    </message>
    <message>
        <source>%1 could not be read again.
%2</source>
        <translation>%1 could not be read again.
%2</translation>
    </message>
    <message>
        <source>%1 no longer exists.</source>
        <translation>%1 no longer exists.</translation>
    </message>
    <message>
        <source>%1 no longer exists. Nothing was saved.</source>
        <translation>%1 no longer exists. Nothing was saved.</translation>
    </message>
    <message>
        <source>%1 was deleted meanwhile (it is in the trash). Nothing was saved.</source>
        <translation>%1 was deleted meanwhile (it is in the trash). Nothing was saved.</translation>
    </message>
    <message>
        <source>%1 was changed by someone else since you opened it (updated at %2 UTC). Nothing was saved; your edits are kept. Discard them to see the current values.</source>
        <translation>%1 was changed by someone else since you opened it (updated at %2 UTC). Nothing was saved; your edits are kept. Discard them to see the current values.</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::ScheduleFilterPanel</name>
    <message>
        <source>Any employee (type a name)</source>
        <translation>Any employee (type a name)</translation>
    </message>
    <message>
        <source>Any department</source>
        <translation>Any department</translation>
    </message>
    <message>
        <source>Any date</source>
        <translation>Any date</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Today</translation>
    </message>
    <message>
        <source>This week</source>
        <translation>This week</translation>
    </message>
    <message>
        <source>This month</source>
        <translation>This month</translation>
    </message>
    <message>
        <source>Custom range</source>
        <translation>Custom range</translation>
    </message>
    <message>
        <source>Any type</source>
        <translation>Any type</translation>
    </message>
    <message>
        <source>Any status</source>
        <translation>Any status</translation>
    </message>
    <message>
        <source>Any priority</source>
        <translation>Any priority</translation>
    </message>
    <message>
        <source>Title or client contains…</source>
        <translation>Title or client contains…</translation>
    </message>
    <message>
        <source>Clear Filters</source>
        <translation>Clear Filters</translation>
    </message>
    <message>
        <source>&amp;Employee:</source>
        <translation>&amp;Employee:</translation>
    </message>
    <message>
        <source>&amp;Department:</source>
        <translation>&amp;Department:</translation>
    </message>
    <message>
        <source>D&amp;ates:</source>
        <translation>D&amp;ates:</translation>
    </message>
    <message>
        <source>&amp;Type:</source>
        <translation>&amp;Type:</translation>
    </message>
    <message>
        <source>&amp;Status:</source>
        <translation>&amp;Status:</translation>
    </message>
    <message>
        <source>&amp;Priority:</source>
        <translation>&amp;Priority:</translation>
    </message>
    <message>
        <source>Sea&amp;rch:</source>
        <translation>Sea&amp;rch:</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>No employee matches</source>
        <translation>No employee matches</translation>
    </message>
    <message>
        <source>Choose one, or tick several in the list.</source>
        <translation>Choose one, or tick several in the list.</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::ScheduleGridModel</name>
    <message>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Start</translation>
    </message>
    <message>
        <source>End</source>
        <translation>End</translation>
    </message>
    <message>
        <source>Employee</source>
        <translation>Employee</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>Department</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>Client</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>Location</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Priority</translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation>Deleted</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Owner in trash</source>
        <translation>Owner in trash</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>Updated</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>Email</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>Username</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>Yes</translation>
    </message>
    <message>
        <source>No</source>
        <translation>No</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::SchedulesView</name>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Edit</translation>
    </message>
    <message>
        <source>Read-only</source>
        <translation>Read-only</translation>
    </message>
    <message>
        <source>Browsing uses a read-only session. Use Edit to change a schedule.</source>
        <translation>Browsing uses a read-only session. Use Edit to change a schedule.</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Re&amp;fresh</source>
        <translation>Re&amp;fresh</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <source>Loading schedules…</source>
        <translation>Loading schedules…</translation>
    </message>
    <message>
        <source>Connect to a database to see its schedules.</source>
        <translation>Connect to a database to see its schedules.</translation>
    </message>
    <message>
        <source>Could not read the schedules.
%1</source>
        <translation>Could not read the schedules.
%1</translation>
    </message>
    <message>
        <source>The schedules table does not exist. Upgrade the database to head in Migrations.</source>
        <translation>The schedules table does not exist. Upgrade the database to head in Migrations.</translation>
    </message>
    <message>
        <source>Reading…</source>
        <translation>Reading…</translation>
    </message>
    <message>
        <source>Schedules: %1</source>
        <translation>Schedules: %1</translation>
    </message>
    <message>
        <source>Connect to a database whose schedules table exists to edit schedules.</source>
        <translation>Connect to a database whose schedules table exists to edit schedules.</translation>
    </message>
    <message>
        <source>Opening the editing connection…</source>
        <translation>Opening the editing connection…</translation>
    </message>
    <message>
        <source>The editing connection failed: %1</source>
        <translation>The editing connection failed: %1</translation>
    </message>
    <message>
        <source>Your database role may not change schedules: it lacks UPDATE on public.schedules (status, result and follow_up).</source>
        <translation>Your database role may not change schedules: it lacks UPDATE on public.schedules (status, result and follow_up).</translation>
    </message>
    <message>
        <source>Change the status, result and follow-up of the selected schedule.</source>
        <translation>Change the status, result and follow-up of the selected schedule.</translation>
    </message>
    <message>
        <source>Unsaved Changes</source>
        <translation>Unsaved Changes</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Saved.</translation>
    </message>
    <message>
        <source>&amp;Grid</source>
        <translation>&amp;Grid</translation>
    </message>
    <message>
        <source>Schedules as rows</source>
        <translation>Schedules as rows</translation>
    </message>
    <message>
        <source>&amp;Week</source>
        <translation>&amp;Week</translation>
    </message>
    <message>
        <source>A calendar week: each schedule at its time</source>
        <translation>A calendar week: each schedule at its time</translation>
    </message>
    <message>
        <source>&amp;Month</source>
        <translation>&amp;Month</translation>
    </message>
    <message>
        <source>A calendar month</source>
        <translation>A calendar month</translation>
    </message>
    <message>
        <source>No schedules match these filters. &lt;a href=&quot;clear&quot;&gt;Clear Filters&lt;/a&gt;</source>
        <translation>No schedules match these filters. &lt;a href=&quot;clear&quot;&gt;Clear Filters&lt;/a&gt;</translation>
    </message>
    <message>
        <source>%1 has unsaved changes. Leave edit mode and discard them?</source>
        <translation>%1 has unsaved changes. Leave edit mode and discard them?</translation>
    </message>
    <message>
        <source>%1 has unsaved changes. Discard them?</source>
        <translation>%1 has unsaved changes. Discard them?</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::SchemaTreeModel</name>
    <message>
        <source>Table</source>
        <translation>Table</translation>
    </message>
    <message>
        <source>Partitioned table</source>
        <translation>Partitioned table</translation>
    </message>
    <message>
        <source>View</source>
        <translation>View</translation>
    </message>
    <message>
        <source>Materialized view</source>
        <translation>Materialized view</translation>
    </message>
    <message>
        <source>Foreign table</source>
        <translation>Foreign table</translation>
    </message>
    <message>
        <source>Schema</source>
        <translation>Schema</translation>
    </message>
    <message numerus="yes">
        <source>Schema %1: %n relation(s)</source>
        <translation>
            <numerusform>Schema %1: %n relation</numerusform>
            <numerusform>Schema %1: %n relations</numerusform>
        </translation>
    </message>
    <message>
        <source>You have no SELECT privilege on %1.%2.</source>
        <translation>You have no SELECT privilege on %1.%2.</translation>
    </message>
    <message>
        <source>A view has no row estimate of its own.</source>
        <translation>A view has no row estimate of its own.</translation>
    </message>
    <message>
        <source>Never analyzed: no row estimate yet.</source>
        <translation>Never analyzed: no row estimate yet.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Rows (est.)</source>
        <translation>Rows (est.)</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Size</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::TableGridModel</name>
    <message>
        <source>Deleted: this row is in the trash (is_deleted = true).</source>
        <translation>Deleted: this row is in the trash (is_deleted = true).</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::TablesView</name>
    <message>
        <source>Schemas</source>
        <translation>Schemas</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>Read the schemas, tables and their estimates again</source>
        <translation>Read the schemas, tables and their estimates again</translation>
    </message>
    <message>
        <source>Show deleted rows</source>
        <translation>Show deleted rows</translation>
    </message>
    <message>
        <source>Also show the rows marked is_deleted (kept for the Trash)</source>
        <translation>Also show the rows marked is_deleted (kept for the Trash)</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Copy</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>Export CSV…</translation>
    </message>
    <message>
        <source>Reading rows… Sorting by a column without an index can take a while.</source>
        <translation>Reading rows… Sorting by a column without an index can take a while.</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Cancel Export</source>
        <translation>Cancel Export</translation>
    </message>
    <message>
        <source>Loading the schemas…</source>
        <translation>Loading the schemas…</translation>
    </message>
    <message>
        <source>Connect to a database to browse its tables.</source>
        <translation>Connect to a database to browse its tables.</translation>
    </message>
    <message>
        <source>The schemas could not be read: %1</source>
        <translation>The schemas could not be read: %1</translation>
    </message>
    <message>
        <source>This database has no schemas you can see.</source>
        <translation>This database has no schemas you can see.</translation>
    </message>
    <message>
        <source>Select a table or view in the tree.</source>
        <translation>Select a table or view in the tree.</translation>
    </message>
    <message>
        <source>The table %1.%2 does not exist in this database.</source>
        <translation>The table %1.%2 does not exist in this database.</translation>
    </message>
    <message>
        <source>You have no SELECT privilege on %1.%2, so its rows cannot be shown or exported. Ask its owner to GRANT SELECT to your role.</source>
        <translation>You have no SELECT privilege on %1.%2, so its rows cannot be shown or exported. Ask its owner to GRANT SELECT to your role.</translation>
    </message>
    <message>
        <source>View %1.%2</source>
        <translation>View %1.%2</translation>
    </message>
    <message>
        <source>Table %1.%2</source>
        <translation>Table %1.%2</translation>
    </message>
    <message>
        <source>Cancelled. Scroll, sort or refresh to read the rows again.</source>
        <translation>Cancelled. Scroll, sort or refresh to read the rows again.</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Loading…</translation>
    </message>
    <message numerus="yes">
        <source>%1 rows</source>
        <translation>
            <numerusform>%1 row</numerusform>
            <numerusform>%1 rows</numerusform>
        </translation>
    </message>
    <message>
        <source>No rows match the filters.</source>
        <translation>No rows match the filters.</translation>
    </message>
    <message>
        <source>Copy the selected cells as tab-separated text (Ctrl+C)</source>
        <translation>Copy the selected cells as tab-separated text (Ctrl+C)</translation>
    </message>
    <message>
        <source>Select cells in the grid to copy them</source>
        <translation>Select cells in the grid to copy them</translation>
    </message>
    <message>
        <source>Exporting needs the SELECT privilege on this table.</source>
        <translation>Exporting needs the SELECT privilege on this table.</translation>
    </message>
    <message>
        <source>An export is already running.</source>
        <translation>An export is already running.</translation>
    </message>
    <message>
        <source>Write the rows as the grid shows them (filters, sort, deleted rows) to a CSV file</source>
        <translation>Write the rows as the grid shows them (filters, sort, deleted rows) to a CSV file</translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation>Export CSV</translation>
    </message>
    <message>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>CSV files (*.csv);;All files (*)</translation>
    </message>
    <message>
        <source>Exporting %1 to %2…</source>
        <translation>Exporting %1 to %2…</translation>
    </message>
    <message numerus="yes">
        <source>Exported %1 of ≈ %2 rows…</source>
        <translation>
            <numerusform>Exported %1 of ≈ %2 rows…</numerusform>
            <numerusform>Exported %1 of ≈ %2 rows…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Exported %1 rows…</source>
        <translation>
            <numerusform>Exported %1 row…</numerusform>
            <numerusform>Exported %1 rows…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Exported %1 rows to %2.</source>
        <translation>
            <numerusform>Exported %1 row to %2.</numerusform>
            <numerusform>Exported %1 rows to %2.</numerusform>
        </translation>
    </message>
    <message>
        <source>Export cancelled; no file was written.</source>
        <translation>Export cancelled; no file was written.</translation>
    </message>
    <message>
        <source>Export failed; no file was written: %1</source>
        <translation>Export failed; no file was written: %1</translation>
    </message>
    <message>
        <source>Cancelling the export…</source>
        <translation>Cancelling the export…</translation>
    </message>
    <message>
        <source>The values of “%1” stay masked: the unmasking could not be recorded in the audit table migrationdesk.audit.
%2</source>
        <translation>The values of “%1” stay masked: the unmasking could not be recorded in the audit table migrationdesk.audit.
%2</translation>
    </message>
    <message>
        <source>Excel compatible (UTF-8 with BOM)</source>
        <translation>Excel compatible (UTF-8 with BOM)</translation>
    </message>
    <message>
        <source>Recording the unmasking of “%1” in the audit table…</source>
        <translation>Recording the unmasking of “%1” in the audit table…</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::TimeZoneChoice</name>
    <message>
        <source>Show Times in &amp;UTC</source>
        <translation>Show Times in &amp;UTC</translation>
    </message>
    <message>
        <source>Show created, updated and deleted times in UTC, as stored, instead of local time. Schedule dates and times are never shifted.</source>
        <translation>Show created, updated and deleted times in UTC, as stored, instead of local time. Schedule dates and times are never shifted.</translation>
    </message>
    <message>
        <source>Times: %1</source>
        <extracomment>The status bar field saying which time zone timestamps are shown in; %1 is &quot;UTC&quot; or &quot;local time (UTC+9)&quot;.</extracomment>
        <translation>Times: %1</translation>
    </message>
    <message>
        <source>Stored timestamps are UTC. View &gt; Show Times in UTC switches between UTC and local time.</source>
        <translation>Stored timestamps are UTC. View &gt; Show Times in UTC switches between UTC and local time.</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::TimelineDelegate</name>
    <message>
        <source>current</source>
        <translation>current</translation>
    </message>
    <message>
        <source>applied</source>
        <translation>applied</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>pending</translation>
    </message>
    <message>
        <source>missing from scripts</source>
        <translation>missing from scripts</translation>
    </message>
    <message>
        <source>&lt; 1 ms</source>
        <translation>&lt; 1 ms</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>State: %1</source>
        <translation>State: %1</translation>
    </message>
    <message>
        <source>Created: %1</source>
        <translation>Created: %1</translation>
    </message>
    <message>
        <source>Last run: %1 by %2, took %3</source>
        <translation>Last run: %1 by %2, took %3</translation>
    </message>
    <message>
        <source>1 failed attempt recorded</source>
        <translation>1 failed attempt recorded</translation>
    </message>
    <message>
        <source>%1 failed attempts recorded</source>
        <translation>%1 failed attempts recorded</translation>
    </message>
    <message>
        <source>Non-transactional: each statement commits on its own.</source>
        <translation>Non-transactional: each statement commits on its own.</translation>
    </message>
    <message>
        <source>⚠ The script was edited after it was applied: its checksum differs from the one recorded.</source>
        <translation>⚠ The script was edited after it was applied: its checksum differs from the one recorded.</translation>
    </message>
    <message>
        <source>The database records this revision, but no script for it was found.</source>
        <translation>The database records this revision, but no script for it was found.</translation>
    </message>
    <message>
        <source>head</source>
        <translation>head</translation>
    </message>
    <message>
        <source>merge</source>
        <translation>merge</translation>
    </message>
    <message>
        <source>branch point</source>
        <translation>branch point</translation>
    </message>
    <message>
        <source>⚠ script changed</source>
        <translation>⚠ script changed</translation>
    </message>
    <message>
        <source>created %1</source>
        <translation>created %1</translation>
    </message>
    <message>
        <source>applied %1 by %2 in %3</source>
        <translation>applied %1 by %2 in %3</translation>
    </message>
    <message>
        <source>1 failed attempt</source>
        <translation>1 failed attempt</translation>
    </message>
    <message>
        <source>%1 failed attempts</source>
        <translation>%1 failed attempts</translation>
    </message>
    <message>
        <source>non-transactional</source>
        <translation>non-transactional</translation>
    </message>
    <message>
        <source>recorded in the database, but no script file defines it: it cannot be downgraded from here</source>
        <translation>recorded in the database, but no script file defines it: it cannot be downgraded from here</translation>
    </message>
    <message>
        <source>needs review</source>
        <translation>needs review</translation>
    </message>
    <message>
        <source>Branch labels: %1</source>
        <translation>Branch labels: %1</translation>
    </message>
    <message>
        <source>Depends on: %1</source>
        <translation>Depends on: %1</translation>
    </message>
    <message>
        <source>Needs review: %1. Translate it by hand, then delete its needs_review header; until then it cannot be run or stamped.</source>
        <translation>Needs review: %1. Translate it by hand, then delete its needs_review header; until then it cannot be run or stamped.</translation>
    </message>
    <message>
        <source>depends on %1</source>
        <translation>depends on %1</translation>
    </message>
    <message>
        <source>needs review: %1</source>
        <translation>needs review: %1</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::TimelineLegend</name>
    <message>
        <source>branch label</source>
        <translation>branch label</translation>
    </message>
    <message>
        <source>depends on</source>
        <translation>depends on</translation>
    </message>
    <message>
        <source>translate by hand before it can run</source>
        <translation>translate by hand before it can run</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::TimelineModel</name>
    <message>
        <source>Pending</source>
        <translation>Pending</translation>
    </message>
    <message>
        <source>Applied</source>
        <translation>Applied</translation>
    </message>
    <message>
        <source>Current</source>
        <translation>Current</translation>
    </message>
    <message>
        <source>Missing script</source>
        <translation>Missing script</translation>
    </message>
    <message>
        <source>In the database but missing from the scripts: no script file defines this revision.</source>
        <translation>In the database but missing from the scripts: no script file defines this revision.</translation>
    </message>
    <message>
        <source>Created: %1</source>
        <translation>Created: %1</translation>
    </message>
    <message>
        <source>State: %1</source>
        <translation>State: %1</translation>
    </message>
    <message>
        <source>Base revision (no parent)</source>
        <translation>Base revision (no parent)</translation>
    </message>
    <message>
        <source>Parents: %1</source>
        <translation>Parents: %1</translation>
    </message>
    <message>
        <source>Runs outside a transaction</source>
        <translation>Runs outside a transaction</translation>
    </message>
    <message>
        <source>Last run: %1, took %2</source>
        <translation>Last run: %1, took %2</translation>
    </message>
    <message>
        <source>Last run: %1 by %2, took %3</source>
        <translation>Last run: %1 by %2, took %3</translation>
    </message>
    <message numerus="yes">
        <source>%n failed run(s) recorded</source>
        <translation>
            <numerusform>%n failed run recorded</numerusform>
            <numerusform>%n failed runs recorded</numerusform>
        </translation>
    </message>
    <message>
        <source>Warning: the script file changed since this revision was applied.</source>
        <translation>Warning: the script file changed since this revision was applied.</translation>
    </message>
    <message>
        <source>Revision %1 needs review: %2</source>
        <translation>Revision %1 needs review: %2</translation>
    </message>
    <message>
        <source>Needs review: %1</source>
        <translation>Needs review: %1</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::TlsNotice</name>
    <message>
        <source>sslmode=require encrypts the connection but does not verify the server&apos;s certificate, so another server could pose as this one; use sslmode=verify-full with sslrootcert set to your CA certificate.</source>
        <translation>sslmode=require encrypts the connection but does not verify the server&apos;s certificate, so another server could pose as this one; use sslmode=verify-full with sslrootcert set to your CA certificate.</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::TrashAuditModel</name>
    <message>
        <source>Restored</source>
        <translation>Restored</translation>
    </message>
    <message>
        <source>Deleted permanently</source>
        <translation>Deleted permanently</translation>
    </message>
    <message>
        <source>Moved back to the trash (undo)</source>
        <translation>Moved back to the trash (undo)</translation>
    </message>
    <message>
        <source>Unmasked a column</source>
        <translation>Unmasked a column</translation>
    </message>
    <message>
        <source>When</source>
        <translation>When</translation>
    </message>
    <message>
        <source>Database user</source>
        <translation>Database user</translation>
    </message>
    <message>
        <source>OS user</source>
        <translation>OS user</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>Table</source>
        <translation>Table</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>Row</translation>
    </message>
    <message>
        <source>Values before</source>
        <translation>Values before</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::TrashAuditPane</name>
    <message>
        <source>Reading the audit trail…</source>
        <translation>Reading the audit trail…</translation>
    </message>
    <message>
        <source>The audit trail could not be read: %1</source>
        <translation>The audit trail could not be read: %1</translation>
    </message>
    <message>
        <source>Nothing has been audited yet.</source>
        <translation>Nothing has been audited yet.</translation>
    </message>
    <message numerus="yes">
        <source>The newest %n audit row(s).</source>
        <translation>
            <numerusform>The newest %n audit row.</numerusform>
            <numerusform>The newest %n audit rows.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n audit row(s).</source>
        <translation>
            <numerusform>%n audit row.</numerusform>
            <numerusform>%n audit rows.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MigrationDesk::TrashStore</name>
    <message>
        <source>The audit table migrationdesk.audit is missing or not usable, and this role cannot create it: %1
Restores and permanent deletes are refused until it exists (run an upgrade with MigrationDesk as the database owner, or ask them to grant access).</source>
        <translation>The audit table migrationdesk.audit is missing or not usable, and this role cannot create it: %1
Restores and permanent deletes are refused until it exists (run an upgrade with MigrationDesk as the database owner, or ask them to grant access).</translation>
    </message>
    <message>
        <source>Schedule %1</source>
        <translation>Schedule %1</translation>
    </message>
    <message>
        <source>Schedule %1 (“%2”)</source>
        <translation>Schedule %1 (“%2”)</translation>
    </message>
    <message>
        <source>Employee %1</source>
        <translation>Employee %1</translation>
    </message>
    <message>
        <source>Employee %1 (%2)</source>
        <translation>Employee %1 (%2)</translation>
    </message>
    <message>
        <source>Nothing was changed.</source>
        <translation>Nothing was changed.</translation>
    </message>
    <message>
        <source>%1: your role may not change %2 (permission denied).
%3</source>
        <translation>%1: your role may not change %2 (permission denied).
%3</translation>
    </message>
    <message>
        <source>%1: the session is read-only (default_transaction_read_only or a standby server).</source>
        <translation>%1: the session is read-only (default_transaction_read_only or a standby server).</translation>
    </message>
    <message>
        <source>%1 is locked by another session; try again when it has finished.
%2</source>
        <translation>%1 is locked by another session; try again when it has finished.
%2</translation>
    </message>
    <message>
        <source>%1 violates the check constraint %2, which was probably added after it was deleted. Fix the row&apos;s values first.
%3</source>
        <translation>%1 violates the check constraint %2, which was probably added after it was deleted. Fix the row&apos;s values first.
%3</translation>
    </message>
    <message>
        <source>(unnamed)</source>
        <translation>(unnamed)</translation>
    </message>
    <message>
        <source>%1 is still referenced through the foreign key %2, which blocks deleting it.
%3</source>
        <translation>%1 is still referenced through the foreign key %2, which blocks deleting it.
%3</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>%1 is no longer in the trash: someone deleted it permanently.</source>
        <translation>%1 is no longer in the trash: someone deleted it permanently.</translation>
    </message>
    <message>
        <source>%1 was already restored by someone else.</source>
        <translation>%1 was already restored by someone else.</translation>
    </message>
    <message>
        <source>%1 was restored by someone else; only rows still in the trash are deleted.</source>
        <translation>%1 was restored by someone else; only rows still in the trash are deleted.</translation>
    </message>
    <message>
        <source>%1 was changed by someone else after the list was read. Refresh the trash and check the row again.</source>
        <translation>%1 was changed by someone else after the list was read. Refresh the trash and check the row again.</translation>
    </message>
    <message>
        <source>The change could not be recorded in the audit table migrationdesk.audit, so it was not made.
%1</source>
        <translation>The change could not be recorded in the audit table migrationdesk.audit, so it was not made.
%1</translation>
    </message>
    <message>
        <source>The schedules&apos; employees</source>
        <translation>The schedules&apos; employees</translation>
    </message>
    <message>
        <source>Select at least one row.</source>
        <translation>Select at least one row.</translation>
    </message>
    <message numerus="yes">
        <source>%1 still has %n schedule(s) (live or in the trash). The foreign key from schedules blocks deleting the employee permanently; restore or delete those schedules first.</source>
        <translation>
            <numerusform>%1 still has %n schedule (live or in the trash). The foreign key from schedules blocks deleting the employee permanently; restore or delete those schedules first.</numerusform>
            <numerusform>%1 still has %n schedules (live or in the trash). The foreign key from schedules blocks deleting the employee permanently; restore or delete those schedules first.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 and %n more</source>
        <translation>
            <numerusform>%1 and %n more</numerusform>
            <numerusform>%1 and %n more</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Restored %n schedule(s): %1.</source>
        <translation>
            <numerusform>Restored %n schedule: %1.</numerusform>
            <numerusform>Restored %n schedules: %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Restored %n employee(s): %1.</source>
        <translation>
            <numerusform>Restored %n employee: %1.</numerusform>
            <numerusform>Restored %n employees: %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Also restored %n employee(s): %1.</source>
        <translation>
            <numerusform>Also restored %n employee: %1.</numerusform>
            <numerusform>Also restored %n employees: %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Deleted %n schedule(s) permanently: %1.</source>
        <translation>
            <numerusform>Deleted %n schedule permanently: %1.</numerusform>
            <numerusform>Deleted %n schedules permanently: %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Deleted %n employee(s) permanently: %1.</source>
        <translation>
            <numerusform>Deleted %n employee permanently: %1.</numerusform>
            <numerusform>Deleted %n employees permanently: %1.</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 no longer exists: someone deleted it permanently.</source>
        <translation>%1 no longer exists: someone deleted it permanently.</translation>
    </message>
    <message>
        <source>%1 is already back in the trash.</source>
        <translation>%1 is already back in the trash.</translation>
    </message>
    <message>
        <source>%1 was changed by someone else after the restore, so the restore cannot be undone. Delete it again from its own view if that is still wanted.</source>
        <translation>%1 was changed by someone else after the restore, so the restore cannot be undone. Delete it again from its own view if that is still wanted.</translation>
    </message>
    <message>
        <source>There is no restore to undo.</source>
        <translation>There is no restore to undo.</translation>
    </message>
    <message>
        <source>Restore undone: %1 moved back to the trash.</source>
        <translation>Restore undone: %1 moved back to the trash.</translation>
    </message>
    <message>
        <source>Their employees went back too: %1.</source>
        <translation>Their employees went back too: %1.</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::TrashView</name>
    <message>
        <source>Refresh</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>Restore</translation>
    </message>
    <message>
        <source>Delete Permanently…</source>
        <translation>Delete Permanently…</translation>
    </message>
    <message>
        <source>Schedules</source>
        <translation>Schedules</translation>
    </message>
    <message>
        <source>Employees</source>
        <translation>Employees</translation>
    </message>
    <message>
        <source>Search title or client…</source>
        <translation>Search title or client…</translation>
    </message>
    <message>
        <source>Search name, email or username…</source>
        <translation>Search name, email or username…</translation>
    </message>
    <message>
        <source>Loading the trash…</source>
        <translation>Loading the trash…</translation>
    </message>
    <message>
        <source>Connect to a database</source>
        <translation>Connect to a database</translation>
    </message>
    <message>
        <source>The trash could not be opened:
%1</source>
        <translation>The trash could not be opened:
%1</translation>
    </message>
    <message>
        <source>The schedules table does not exist. Upgrade the database to head in Migrations.</source>
        <translation>The schedules table does not exist. Upgrade the database to head in Migrations.</translation>
    </message>
    <message>
        <source>The employees table does not exist. Upgrade the database to head in Migrations.</source>
        <translation>The employees table does not exist. Upgrade the database to head in Migrations.</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>The session is read-only (default_transaction_read_only or a standby server).</source>
        <translation>The session is read-only (default_transaction_read_only or a standby server).</translation>
    </message>
    <message>
        <source>Your role may not change %1 (no UPDATE privilege).</source>
        <translation>Your role may not change %1 (no UPDATE privilege).</translation>
    </message>
    <message>
        <source>Your role may not delete from %1 (no DELETE privilege).</source>
        <translation>Your role may not delete from %1 (no DELETE privilege).</translation>
    </message>
    <message>
        <source>Restore the selected rows (they become live again).</source>
        <translation>Restore the selected rows (they become live again).</translation>
    </message>
    <message>
        <source>Delete the selected rows permanently, after a typed confirmation.</source>
        <translation>Delete the selected rows permanently, after a typed confirmation.</translation>
    </message>
    <message numerus="yes">
        <source>%n selected row(s) are not loaded yet; scroll to them or select fewer rows.</source>
        <translation>
            <numerusform>%n selected row are not loaded yet; scroll to them or select fewer rows.</numerusform>
            <numerusform>%n selected rows are not loaded yet; scroll to them or select fewer rows.</numerusform>
        </translation>
    </message>
    <message>
        <source>Checking the schedules&apos; employees…</source>
        <translation>Checking the schedules&apos; employees…</translation>
    </message>
    <message>
        <source>Restore Employees Too?</source>
        <translation>Restore Employees Too?</translation>
    </message>
    <message numerus="yes">
        <source>%n employee(s) owning these schedules are in the trash too: %1.

Restore them together with the schedules, in the same transaction?</source>
        <translation>
            <numerusform>%n employee owning these schedules are in the trash too: %1.

Restore them together with the schedules, in the same transaction?</numerusform>
            <numerusform>%n employees owning these schedules are in the trash too: %1.

Restore them together with the schedules, in the same transaction?</numerusform>
        </translation>
    </message>
    <message>
        <source>Restore Employees Too</source>
        <translation>Restore Employees Too</translation>
    </message>
    <message>
        <source>Schedules Only</source>
        <translation>Schedules Only</translation>
    </message>
    <message>
        <source>Restore cancelled.</source>
        <translation>Restore cancelled.</translation>
    </message>
    <message numerus="yes">
        <source>Restoring %n row(s)…</source>
        <translation>
            <numerusform>Restoring %n row…</numerusform>
            <numerusform>Restoring %n rows…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Deleting %n row(s) permanently…</source>
        <translation>
            <numerusform>Deleting %n row permanently…</numerusform>
            <numerusform>Deleting %n rows permanently…</numerusform>
        </translation>
    </message>
    <message>
        <source>Trash</source>
        <translation>Trash</translation>
    </message>
    <message>
        <source>Undo Restore</source>
        <translation>Undo Restore</translation>
    </message>
    <message>
        <source>Audit</source>
        <translation>Audit</translation>
    </message>
    <message>
        <source>Put the rows of the last restore back in the trash, unless someone changed them since.</source>
        <translation>Put the rows of the last restore back in the trash, unless someone changed them since.</translation>
    </message>
    <message>
        <source>Putting the restored rows back in the trash…</source>
        <translation>Putting the restored rows back in the trash…</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::TrashWorker</name>
    <message>
        <source>Not connected.</source>
        <translation>Not connected.</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::ViewStack</name>
    <message>
        <source>Migrations</source>
        <translation>Migrations</translation>
    </message>
    <message>
        <source>Tables</source>
        <translation>Tables</translation>
    </message>
    <message>
        <source>Schedules</source>
        <translation>Schedules</translation>
    </message>
    <message>
        <source>Trash</source>
        <translation>Trash</translation>
    </message>
</context>
<context>
    <name>MigrationScript</name>
    <message>
        <source>the file is not valid UTF-8 (byte offset %1); save it as UTF-8</source>
        <translation>the file is not valid UTF-8 (byte offset %1); save it as UTF-8</translation>
    </message>
    <message>
        <source>a second &apos;-- +upgrade&apos; section</source>
        <translation>a second &apos;-- +upgrade&apos; section</translation>
    </message>
    <message>
        <source>a second &apos;-- +downgrade&apos; section</source>
        <translation>a second &apos;-- +downgrade&apos; section</translation>
    </message>
    <message>
        <source>SQL before the &apos;-- +upgrade&apos; section; statements belong in a section</source>
        <translation>SQL before the &apos;-- +upgrade&apos; section; statements belong in a section</translation>
    </message>
    <message>
        <source>unknown header key &apos;%1&apos; (known keys: %2)</source>
        <translation>unknown header key &apos;%1&apos; (known keys: %2)</translation>
    </message>
    <message>
        <source>header key &apos;%1&apos; appears twice</source>
        <translation>header key &apos;%1&apos; appears twice</translation>
    </message>
    <message>
        <source>missing required header &apos;-- revision: &lt;id&gt;&apos;</source>
        <translation>missing required header &apos;-- revision: &lt;id&gt;&apos;</translation>
    </message>
    <message>
        <source>missing required header &apos;-- down_revision: &lt;id&gt;|none&apos;</source>
        <translation>missing required header &apos;-- down_revision: &lt;id&gt;|none&apos;</translation>
    </message>
    <message>
        <source>revision id &apos;%1&apos; is invalid: use 1 to 32 characters of [0-9a-z_]</source>
        <translation>revision id &apos;%1&apos; is invalid: use 1 to 32 characters of [0-9a-z_]</translation>
    </message>
    <message>
        <source>down_revision &apos;%1&apos; is invalid: use &apos;none&apos;, an id, or a comma-separated list of ids</source>
        <translation>down_revision &apos;%1&apos; is invalid: use &apos;none&apos;, an id, or a comma-separated list of ids</translation>
    </message>
    <message>
        <source>down_revision lists &apos;%1&apos; twice</source>
        <translation>down_revision lists &apos;%1&apos; twice</translation>
    </message>
    <message>
        <source>revision &apos;%1&apos; names itself as its parent</source>
        <translation>revision &apos;%1&apos; names itself as its parent</translation>
    </message>
    <message>
        <source>transactional must be &apos;true&apos; or &apos;false&apos;, not &apos;%1&apos;</source>
        <translation>transactional must be &apos;true&apos; or &apos;false&apos;, not &apos;%1&apos;</translation>
    </message>
    <message>
        <source>missing section &apos;-- +upgrade&apos;</source>
        <translation>missing section &apos;-- +upgrade&apos;</translation>
    </message>
    <message>
        <source>missing section &apos;-- +downgrade&apos;</source>
        <translation>missing section &apos;-- +downgrade&apos;</translation>
    </message>
    <message>
        <source>transaction control (%1) is not allowed in a migration script: the runner runs each revision in a transaction of its own and records the revision in that same transaction. Remove the statement; to commit part of the work first, put it in a revision of its own.</source>
        <translation>transaction control (%1) is not allowed in a migration script: the runner runs each revision in a transaction of its own and records the revision in that same transaction. Remove the statement; to commit part of the work first, put it in a revision of its own.</translation>
    </message>
    <message>
        <source>transaction control (%1) is not allowed in a migration script: a non-transactional revision runs each statement on its own (autocommit) and records its progress after each one. Remove the statement; for work that must be atomic, use a transactional revision.</source>
        <translation>transaction control (%1) is not allowed in a migration script: a non-transactional revision runs each statement on its own (autocommit) and records its progress after each one. Remove the statement; for work that must be atomic, use a transactional revision.</translation>
    </message>
    <message>
        <source>psql meta-commands are not supported (%1): the runner sends each statement to the server, which does not understand them. Put the SQL itself into the script.</source>
        <translation>psql meta-commands are not supported (%1): the runner sends each statement to the server, which does not understand them. Put the SQL itself into the script.</translation>
    </message>
    <message>
        <source>savepoints cannot be used in a non-transactional revision: its statements run outside a transaction block</source>
        <translation>savepoints cannot be used in a non-transactional revision: its statements run outside a transaction block</translation>
    </message>
    <message>
        <source>%1 names savepoint &apos;%2&apos;, which this section has not set: a script may only release or roll back to its own savepoints</source>
        <translation>%1 names savepoint &apos;%2&apos;, which this section has not set: a script may only release or roll back to its own savepoints</translation>
    </message>
    <message>
        <source>%1 &apos;%2&apos; is invalid: use a comma-separated list of names without &apos;@&apos; or spaces</source>
        <translation>%1 &apos;%2&apos; is invalid: use a comma-separated list of names without &apos;@&apos; or spaces</translation>
    </message>
    <message>
        <source>%1 lists &apos;%2&apos; twice</source>
        <translation>%1 lists &apos;%2&apos; twice</translation>
    </message>
    <message>
        <source>revision &apos;%1&apos; depends on itself</source>
        <translation>revision &apos;%1&apos; depends on itself</translation>
    </message>
    <message>
        <source>marked for review</source>
        <translation>marked for review</translation>
    </message>
</context>
<context>
    <name>OfflineRenderer</name>
    <message>
        <source>revision %1 is non-transactional and cannot run inside --single-transaction</source>
        <translation>revision %1 is non-transactional and cannot run inside --single-transaction</translation>
    </message>
    <message>
        <source>no script for revision %1</source>
        <translation>no script for revision %1</translation>
    </message>
</context>
<context>
    <name>PgConnection</name>
    <message>
        <source>There is no connection to cancel.</source>
        <translation>There is no connection to cancel.</translation>
    </message>
    <message>
        <source>Could not send the cancel request: %1</source>
        <translation>Could not send the cancel request: %1</translation>
    </message>
    <message>
        <source>The Qt PostgreSQL driver (QPSQL) is not installed. On Debian or Ubuntu install the package libqt6sql6-psql.</source>
        <translation>The Qt PostgreSQL driver (QPSQL) is not installed. On Debian or Ubuntu install the package libqt6sql6-psql.</translation>
    </message>
    <message>
        <source>The Qt PostgreSQL driver did not expose its libpq connection.</source>
        <translation>The Qt PostgreSQL driver did not expose its libpq connection.</translation>
    </message>
    <message>
        <source>Not connected to a database.</source>
        <translation>Not connected to a database.</translation>
    </message>
    <message>
        <source>COPY ... FROM STDIN and COPY ... TO STDOUT cannot run here; use INSERT statements or COPY with a server-side file.</source>
        <translation>COPY ... FROM STDIN and COPY ... TO STDOUT cannot run here; use INSERT statements or COPY with a server-side file.</translation>
    </message>
    <message>
        <source>Parameter $%1 contains a NUL character, which PostgreSQL text cannot hold.</source>
        <translation>Parameter $%1 contains a NUL character, which PostgreSQL text cannot hold.</translation>
    </message>
    <message>
        <source>COPY ... FROM STDIN and COPY ... TO STDOUT cannot run here.</source>
        <translation>COPY ... FROM STDIN and COPY ... TO STDOUT cannot run here.</translation>
    </message>
    <message>
        <source>Wrong password: the server at %1 rejected the password for user &quot;%2&quot;. Check the password; in a URL, special characters in it must be percent-encoded.</source>
        <translation>Wrong password: the server at %1 rejected the password for user &quot;%2&quot;. Check the password; in a URL, special characters in it must be percent-encoded.</translation>
    </message>
    <message>
        <source>Unknown host: the name &quot;%1&quot; could not be resolved. Check the spelling. A Docker Compose service name such as &quot;postgres&quot; only resolves inside the Compose network; from the host machine use localhost and the published port.</source>
        <translation>Unknown host: the name &quot;%1&quot; could not be resolved. Check the spelling. A Docker Compose service name such as &quot;postgres&quot; only resolves inside the Compose network; from the host machine use localhost and the published port.</translation>
    </message>
    <message>
        <source>Connection refused: no PostgreSQL server is accepting connections at %1. Check that the server is running and that the host and port are right.</source>
        <translation>Connection refused: no PostgreSQL server is accepting connections at %1. Check that the server is running and that the host and port are right.</translation>
    </message>
    <message>
        <source>No PostgreSQL server is running on the local socket (%1). Start the server, or give a host name such as localhost.</source>
        <translation>No PostgreSQL server is running on the local socket (%1). Start the server, or give a host name such as localhost.</translation>
    </message>
    <message>
        <source>Timeout: the server at %1 did not answer within %2 seconds. Check the host, the port, firewalls and VPNs.</source>
        <translation>Timeout: the server at %1 did not answer within %2 seconds. Check the host, the port, firewalls and VPNs.</translation>
    </message>
    <message>
        <source>The server at %1 does not support SSL, but sslmode=%2 requires it. Use sslmode=prefer (or disable), or enable SSL on the server.</source>
        <translation>The server at %1 does not support SSL, but sslmode=%2 requires it. Use sslmode=prefer (or disable), or enable SSL on the server.</translation>
    </message>
    <message>
        <source>sslmode=%1 must verify the server&apos;s certificate, but the root certificate file &quot;%2&quot; does not exist or cannot be read. Set sslrootcert to the CA certificate file, or use sslmode=require to encrypt without verifying.</source>
        <translation>sslmode=%1 must verify the server&apos;s certificate, but the root certificate file &quot;%2&quot; does not exist or cannot be read. Set sslrootcert to the CA certificate file, or use sslmode=require to encrypt without verifying.</translation>
    </message>
    <message>
        <source>The SSL certificate of the server at %1 could not be verified with the root certificate (sslrootcert). Check that it is the CA that signed the server&apos;s certificate, or use sslmode=require to encrypt without verifying.</source>
        <translation>The SSL certificate of the server at %1 could not be verified with the root certificate (sslrootcert). Check that it is the CA that signed the server&apos;s certificate, or use sslmode=require to encrypt without verifying.</translation>
    </message>
    <message>
        <source>The server&apos;s SSL certificate is for a different host name than %1 (sslmode=verify-full). Connect with the name in the certificate.</source>
        <translation>The server&apos;s SSL certificate is for a different host name than %1 (sslmode=verify-full). Connect with the name in the certificate.</translation>
    </message>
    <message>
        <source>The database &quot;%1&quot; does not exist on %2. Create it first (for example with createdb) or correct the database name.</source>
        <translation>The database &quot;%1&quot; does not exist on %2. Create it first (for example with createdb) or correct the database name.</translation>
    </message>
    <message>
        <source>The user (role) &quot;%1&quot; does not exist on %2. Check the user name, or create the role.</source>
        <translation>The user (role) &quot;%1&quot; does not exist on %2. Check the user name, or create the role.</translation>
    </message>
    <message>
        <source>The server at %1 does not allow this connection (no matching pg_hba.conf entry for this host, user, database and SSL setting).</source>
        <translation>The server at %1 does not allow this connection (no matching pg_hba.conf entry for this host, user, database and SSL setting).</translation>
    </message>
    <message>
        <source>The server at %1 has no free connection slots. Try again later or close other connections.</source>
        <translation>The server at %1 has no free connection slots. Try again later or close other connections.</translation>
    </message>
    <message>
        <source>The server at %1 is starting up or shutting down. Try again shortly.</source>
        <translation>The server at %1 is starting up or shutting down. Try again shortly.</translation>
    </message>
    <message>
        <source>The SSL connection to %1 failed.</source>
        <translation>The SSL connection to %1 failed.</translation>
    </message>
    <message>
        <source>Could not connect to %1.</source>
        <translation>Could not connect to %1.</translation>
    </message>
    <message>
        <source>libpq said: %1</source>
        <translation>libpq said: %1</translation>
    </message>
    <message>
        <source>Wrong host name: the server&apos;s SSL certificate is for &quot;%1&quot;, not for the host name you connected to (%2), so sslmode=verify-full refused it. Connect with the name in the certificate.</source>
        <translation>Wrong host name: the server&apos;s SSL certificate is for &quot;%1&quot;, not for the host name you connected to (%2), so sslmode=verify-full refused it. Connect with the name in the certificate.</translation>
    </message>
    <message>
        <source>The server at %1 requires a password, but none was given. Enter it in the Password field, or put it in the URL, set PGPASSWORD, or add it to ~/.pgpass.</source>
        <translation>The server at %1 requires a password, but none was given. Enter it in the Password field, or put it in the URL, set PGPASSWORD, or add it to ~/.pgpass.</translation>
    </message>
    <message>
        <source>Out of memory.</source>
        <translation>Out of memory.</translation>
    </message>
</context>
<context>
    <name>PgPipeline</name>
    <message>
        <source>Parameter $%1 contains a NUL character, which PostgreSQL text cannot hold.</source>
        <translation>Parameter $%1 contains a NUL character, which PostgreSQL text cannot hold.</translation>
    </message>
    <message>
        <source>Not connected to a database.</source>
        <translation>Not connected to a database.</translation>
    </message>
    <message>
        <source>COPY cannot run in a pipeline.</source>
        <translation>COPY cannot run in a pipeline.</translation>
    </message>
</context>
<context>
    <name>PgTools</name>
    <message>
        <source>%1 was not found in PATH or /usr/lib/postgresql/*/bin; install the Debian package %2.</source>
        <translation>%1 was not found in PATH or /usr/lib/postgresql/*/bin; install the Debian package %2.</translation>
    </message>
    <message>
        <source>could not start pg_dump: %1</source>
        <translation>could not start pg_dump: %1</translation>
    </message>
    <message>
        <source>the backup was cancelled</source>
        <translation>the backup was cancelled</translation>
    </message>
    <message>
        <source>pg_dump failed (exit code %1): %2</source>
        <translation>pg_dump failed (exit code %1): %2</translation>
    </message>
</context>
<context>
    <name>Sandbox</name>
    <message>
        <source>it is not a directory</source>
        <translation>it is not a directory</translation>
    </message>
    <message>
        <source>the postgres system user does not exist</source>
        <translation>the postgres system user does not exist</translation>
    </message>
    <message>
        <source>it belongs to another user</source>
        <translation>it belongs to another user</translation>
    </message>
    <message>
        <source>Looking for PostgreSQL</source>
        <translation>Looking for PostgreSQL</translation>
    </message>
    <message>
        <source>The sandbox is ready</source>
        <translation>The sandbox is ready</translation>
    </message>
    <message>
        <source>Cannot start the local sandbox: %1</source>
        <translation>Cannot start the local sandbox: %1</translation>
    </message>
    <message>
        <source>running as root, the server runs as the postgres system user, which does not exist; install the Debian package postgresql, which creates it.</source>
        <translation>running as root, the server runs as the postgres system user, which does not exist; install the Debian package postgresql, which creates it.</translation>
    </message>
    <message>
        <source>%1 was not found in %2; install the Debian package postgresql.</source>
        <translation>%1 was not found in %2; install the Debian package postgresql.</translation>
    </message>
    <message>
        <source>No folder is set for the local sandbox.</source>
        <translation>No folder is set for the local sandbox.</translation>
    </message>
    <message>
        <source>Cannot use %1 for the local sandbox: %2</source>
        <translation>Cannot use %1 for the local sandbox: %2</translation>
    </message>
    <message>
        <source>Running as root, the sandbox server runs as the postgres system user, which cannot reach %1. Choose a folder outside /root, for example under /var/tmp.</source>
        <translation>Running as root, the sandbox server runs as the postgres system user, which cannot reach %1. Choose a folder outside /root, for example under /var/tmp.</translation>
    </message>
    <message>
        <source>Cannot lock the sandbox folder %1.</source>
        <translation>Cannot lock the sandbox folder %1.</translation>
    </message>
    <message>
        <source>Waiting for another MigrationDesk that is starting the sandbox</source>
        <translation>Waiting for another MigrationDesk that is starting the sandbox</translation>
    </message>
    <message>
        <source>%1 is not empty but holds no PostgreSQL cluster; remove it to let the sandbox start afresh.</source>
        <translation>%1 is not empty but holds no PostgreSQL cluster; remove it to let the sandbox start afresh.</translation>
    </message>
    <message>
        <source>Creating the sandbox cluster (initdb)</source>
        <translation>Creating the sandbox cluster (initdb)</translation>
    </message>
    <message>
        <source>initdb could not create the sandbox cluster in %1:
%2</source>
        <translation>initdb could not create the sandbox cluster in %1:
%2</translation>
    </message>
    <message>
        <source>Cannot write the sandbox&apos;s configuration in %1.</source>
        <translation>Cannot write the sandbox&apos;s configuration in %1.</translation>
    </message>
    <message>
        <source>Cannot use %1 for the sandbox&apos;s Unix socket: %2</source>
        <translation>Cannot use %1 for the sandbox&apos;s Unix socket: %2</translation>
    </message>
    <message>
        <source>Starting the sandbox server</source>
        <translation>Starting the sandbox server</translation>
    </message>
    <message>
        <source>Cannot find a free TCP port on 127.0.0.1 for the sandbox.</source>
        <translation>Cannot find a free TCP port on 127.0.0.1 for the sandbox.</translation>
    </message>
    <message>
        <source>pg_ctl could not start the sandbox on port %1:
%2
Server log:
%3</source>
        <translation>pg_ctl could not start the sandbox on port %1:
%2
Server log:
%3</translation>
    </message>
    <message>
        <source>Cannot look for the sandbox database: %1</source>
        <translation>Cannot look for the sandbox database: %1</translation>
    </message>
    <message>
        <source>Cannot create the sandbox database: %1</source>
        <translation>Cannot create the sandbox database: %1</translation>
    </message>
    <message>
        <source>Upgrading the sandbox database to head</source>
        <translation>Upgrading the sandbox database to head</translation>
    </message>
    <message>
        <source>The bundled migrations are broken:
%1</source>
        <translation>The bundled migrations are broken:
%1</translation>
    </message>
    <message>
        <source>Upgrading the sandbox database: %1</source>
        <translation>Upgrading the sandbox database: %1</translation>
    </message>
    <message>
        <source>Cannot upgrade the sandbox database to head: %1</source>
        <translation>Cannot upgrade the sandbox database to head: %1</translation>
    </message>
    <message>
        <source>Filling the sandbox with demo data</source>
        <translation>Filling the sandbox with demo data</translation>
    </message>
    <message>
        <source>Cannot fill the sandbox with demo data: %1</source>
        <translation>Cannot fill the sandbox with demo data: %1</translation>
    </message>
    <message>
        <source>Stopping the sandbox server</source>
        <translation>Stopping the sandbox server</translation>
    </message>
    <message>
        <source>The sandbox server is stopped</source>
        <translation>The sandbox server is stopped</translation>
    </message>
    <message>
        <source>pg_ctl could not stop the sandbox:
%1</source>
        <translation>pg_ctl could not stop the sandbox:
%1</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>Cannot write %1: %2</translation>
    </message>
    <message>
        <source>cannot run %1: %2</source>
        <translation>cannot run %1: %2</translation>
    </message>
    <message>
        <source>%1 did not finish within %2 s</source>
        <translation>%1 did not finish within %2 s</translation>
    </message>
    <message>
        <source>(no server log)</source>
        <translation>(no server log)</translation>
    </message>
    <message>
        <source>Starting the sandbox was cancelled.</source>
        <translation>Starting the sandbox was cancelled.</translation>
    </message>
    <message>
        <source>Preparing the database %1</source>
        <translation>Preparing the database %1</translation>
    </message>
    <message>
        <source>The sandbox needs a password for connections over TCP.</source>
        <translation>The sandbox needs a password for connections over TCP.</translation>
    </message>
    <message>
        <source>Cannot prepare the sandbox&apos;s password: %1</source>
        <translation>Cannot prepare the sandbox&apos;s password: %1</translation>
    </message>
    <message>
        <source>Cannot set the sandbox&apos;s password: %1</source>
        <translation>Cannot set the sandbox&apos;s password: %1</translation>
    </message>
</context>
<context>
    <name>ScheduleName</name>
    <message>
        <source>Schedule %1</source>
        <translation>Schedule %1</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
</context>
<context>
    <name>ScriptSet</name>
    <message>
        <source>the migrations folder does not exist</source>
        <translation>the migrations folder does not exist</translation>
    </message>
    <message>
        <source>cannot read the file: %1</source>
        <translation>cannot read the file: %1</translation>
    </message>
    <message>
        <source>duplicate revision id &apos;%1&apos;, already used by %2</source>
        <translation>duplicate revision id &apos;%1&apos;, already used by %2</translation>
    </message>
    <message>
        <source>Revision %1 (%2) needs review before it can run: %3. Translate it by hand, then delete its needs_review header. Nothing was changed.</source>
        <translation>Revision %1 (%2) needs review before it can run: %3. Translate it by hand, then delete its needs_review header. Nothing was changed.</translation>
    </message>
</context>
<context>
    <name>ScriptWriter</name>
    <message>
        <source>the message must be a single line</source>
        <translation>the message must be a single line</translation>
    </message>
    <message>
        <source>revision id &apos;%1&apos; is invalid: use 1 to 32 characters of [0-9a-z_]</source>
        <translation>revision id &apos;%1&apos; is invalid: use 1 to 32 characters of [0-9a-z_]</translation>
    </message>
    <message>
        <source>revision id &apos;%1&apos; is already used</source>
        <translation>revision id &apos;%1&apos; is already used</translation>
    </message>
    <message>
        <source>parent revision &apos;%1&apos; does not exist</source>
        <translation>parent revision &apos;%1&apos; does not exist</translation>
    </message>
    <message>
        <source>%1 already exists</source>
        <translation>%1 already exists</translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation>cannot write %1: %2</translation>
    </message>
</context>
<context>
    <name>VersionTable</name>
    <message>
        <source>invalid version table name &apos;%1&apos;: use letters, digits and underscores, optionally as schema.table</source>
        <translation>invalid version table name &apos;%1&apos;: use letters, digits and underscores, optionally as schema.table</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>%1 needs a value.</source>
        <translation>%1 needs a value.</translation>
    </message>
    <message>
        <source>Invalid --url: %1</source>
        <translation>Invalid --url: %1</translation>
    </message>
    <message>
        <source>--migrations: the folder %1 does not exist.</source>
        <translation>--migrations: the folder %1 does not exist.</translation>
    </message>
    <message>
        <source>Invalid --version-table: %1</source>
        <translation>Invalid --version-table: %1</translation>
    </message>
    <message>
        <source>Unknown option %1.</source>
        <translation>Unknown option %1.</translation>
    </message>
    <message>
        <source>Unexpected argument %1.</source>
        <translation>Unexpected argument %1.</translation>
    </message>
    <message>
        <source>--table opens the tables view; it cannot be combined with --view %1.</source>
        <translation>--table opens the tables view; it cannot be combined with --view %1.</translation>
    </message>
    <message>
        <source>--schema needs --table.</source>
        <translation>--schema needs --table.</translation>
    </message>
    <message>
        <source>Try migrationdesk --help.</source>
        <translation>Try migrationdesk --help.</translation>
    </message>
    <message>
        <source>Usage: migrationdesk [options]

The MigrationDesk desktop app: PostgreSQL schema migrations with a revision timeline.

Options:
  --url URL              postgresql://user@host:port/db?sslmode=... to connect to at start
  --profile NAME         a saved connection profile (--url wins if both are given)
  --sandbox              start a private local PostgreSQL (created, migrated and filled with
                         demo data on first use) and connect to it
  --migrations DIR       the migration scripts (default: the bundled ones)
  --version-table NAME   the version table, [schema.]name (default: alembic_version)
  --view VIEW            the view to show: migrations, tables, schedules, calendar (the
                         schedules as a week) or trash
  --table NAME           with --view tables: open this table (its name as the catalog
                         stores it, not SQL-quoted)
  --schema SCHEMA        the schema of --table (default: the search path)
  --version              print the version and exit
  -h, --help             print this help and exit

Without --url or --profile the connection comes from the environment, as for
migrationdesk-cli: DATABASE_URL, then POSTGRES_USER/PASSWORD/DB/HOST/PORT (connect at
once), else libpq&apos;s PG* variables prefill the connection dialog.
Qt&apos;s own options (-platform NAME, -style NAME, ...) are passed on to Qt.
</source>
        <translation>Usage: migrationdesk [options]

The MigrationDesk desktop app: PostgreSQL schema migrations with a revision timeline.

Options:
  --url URL              postgresql://user@host:port/db?sslmode=... to connect to at start
  --profile NAME         a saved connection profile (--url wins if both are given)
  --sandbox              start a private local PostgreSQL (created, migrated and filled with
                         demo data on first use) and connect to it
  --migrations DIR       the migration scripts (default: the bundled ones)
  --version-table NAME   the version table, [schema.]name (default: alembic_version)
  --view VIEW            the view to show: migrations, tables, schedules, calendar (the
                         schedules as a week) or trash
  --table NAME           with --view tables: open this table (its name as the catalog
                         stores it, not SQL-quoted)
  --schema SCHEMA        the schema of --table (default: the search path)
  --version              print the version and exit
  -h, --help             print this help and exit

Without --url or --profile the connection comes from the environment, as for
migrationdesk-cli: DATABASE_URL, then POSTGRES_USER/PASSWORD/DB/HOST/PORT (connect at
once), else libpq&apos;s PG* variables prefill the connection dialog.
Qt&apos;s own options (-platform NAME, -style NAME, ...) are passed on to Qt.
</translation>
    </message>
    <message>
        <source>--view must be migrations, tables, schedules, calendar or trash, not &quot;%1&quot;.</source>
        <translation>--view must be migrations, tables, schedules, calendar or trash, not &quot;%1&quot;.</translation>
    </message>
</context>
</TS>
