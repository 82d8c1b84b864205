<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko_KR">
<context>
    <name>AlembicExporter</name>
    <message>
        <source>the Alembic export helper is missing from this build</source>
        <translation>이 빌드에는 Alembic 내보내기 도우미가 없습니다</translation>
    </message>
    <message>
        <source>%1: cannot be started (%2)</source>
        <translation>%1: 시작할 수 없습니다(%2)</translation>
    </message>
    <message>
        <source>%1 did not finish reading the Alembic project within %2 s</source>
        <translation>%1 프로그램이 %2초 안에 Alembic 프로젝트를 다 읽지 못했습니다</translation>
    </message>
    <message>
        <source>%1: cannot import alembic</source>
        <translation>%1: alembic을 import할 수 없습니다</translation>
    </message>
    <message>
        <source>%1 failed reading the Alembic project (exit code %2):
%3</source>
        <translation>%1 프로그램이 Alembic 프로젝트를 읽지 못했습니다(종료 코드 %2):
%3</translation>
    </message>
    <message>
        <source>No Python interpreter that can import alembic was found. Tried:
  %1
Point at the interpreter of the virtualenv that runs your alembic, for example --python /path/to/venv/bin/python, or put that virtualenv&apos;s bin folder first on PATH.</source>
        <translation>alembic을 import할 수 있는 Python 인터프리터를 찾지 못했습니다. 시도한 인터프리터:
  %1
alembic을 실행하는 virtualenv의 인터프리터를 지정하거나(예: --python /path/to/venv/bin/python), 그 virtualenv의 bin 폴더를 PATH의 맨 앞에 두세요.</translation>
    </message>
    <message>
        <source>The import was cancelled.</source>
        <translation>가져오기를 취소했습니다.</translation>
    </message>
</context>
<context>
    <name>AlembicProject</name>
    <message>
        <source>the Alembic export helper printed something unexpected: %1</source>
        <translation>Alembic 내보내기 도우미가 예상치 못한 내용을 출력했습니다: %1</translation>
    </message>
    <message>
        <source>no revision list</source>
        <translation>리비전 목록이 없습니다</translation>
    </message>
</context>
<context>
    <name>AlembicScriptWriter</name>
    <message>
        <source>revision id &apos;%1&apos; (%2) cannot be carried over: MigrationDesk ids are 1 to 32 characters of [0-9a-z_]</source>
        <translation>&apos;%1&apos; 리비전 ID(%2)는 그대로 가져올 수 없습니다. MigrationDesk 리비전 ID는 [0-9a-z_] 문자 1~32자여야 합니다</translation>
    </message>
    <message>
        <source>branch label or dependency &apos;%1&apos; of revision %2 (%3) contains &apos;@&apos;, &apos;,&apos; or a space</source>
        <translation>리비전 %2(%3)의 브랜치 레이블 또는 의존성 &apos;%1&apos;에 &apos;@&apos; 문자, &apos;,&apos; 문자 또는 공백이 있습니다</translation>
    </message>
    <message>
        <source>%1 already holds .sql scripts; import into an empty folder</source>
        <translation>%1 폴더에 이미 .sql 스크립트가 있습니다. 빈 폴더로 가져오세요</translation>
    </message>
    <message>
        <source>cannot create the folder %1</source>
        <translation>%1 폴더를 만들 수 없습니다</translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation>%1에 쓸 수 없습니다: %2</translation>
    </message>
</context>
<context>
    <name>Bookkeeping</name>
    <message>
        <source>no schema of the search_path (%1) exists, so there is no schema for the version table %2; name one with --version-table schema.table</source>
        <translation>search_path(%1)에 있는 스키마가 하나도 존재하지 않아 %2 버전 테이블을 둘 스키마가 없습니다. --version-table schema.table로 스키마를 지정하세요</translation>
    </message>
    <message>
        <source>Online migration expected to match one row when updating &apos;%1&apos; to &apos;%2&apos; in version table %3; %4 found</source>
        <translation>온라인 마이그레이션: 버전 테이블 %3에서 &apos;%1&apos; 값을 &apos;%2&apos; 값으로 갱신할 때 행 하나가 일치해야 하는데 %4개가 일치했습니다</translation>
    </message>
    <message>
        <source>Online migration expected to match one row when deleting &apos;%1&apos; from version table %2; %3 found</source>
        <translation>온라인 마이그레이션: 버전 테이블 %2에서 &apos;%1&apos; 값을 삭제할 때 행 하나가 일치해야 하는데 %3개가 일치했습니다</translation>
    </message>
    <message>
        <source>Online migration expected to insert one row &apos;%1&apos; into version table %2; %3 inserted</source>
        <translation>온라인 마이그레이션: 버전 테이블 %2에 행 &apos;%1&apos; 하나를 삽입해야 하는데 %3개가 삽입되었습니다</translation>
    </message>
</context>
<context>
    <name>ConnectionSettings</name>
    <message>
        <source>If the user name or password contains special characters (@ : / ? # %), percent-encode them, for example @ as %40, : as %3A and / as %2F.</source>
        <translation>사용자 이름이나 비밀번호에 특수 문자(@ : / ? # %)가 있으면 퍼센트 인코딩하세요. 예: @는 %40, :는 %3A, /는 %2F.</translation>
    </message>
    <message>
        <source>Several hosts in one URL are not supported; give a single host.</source>
        <translation>한 URL에 여러 호스트를 지정할 수 없습니다. 호스트를 하나만 지정하세요.</translation>
    </message>
    <message>
        <source>The port parameter &quot;%1&quot; is not a number between 1 and 65535.</source>
        <translation>port &quot;%1&quot; 매개변수가 1에서 65535 사이의 숫자가 아닙니다.</translation>
    </message>
    <message>
        <source>client_encoding=%1 is not supported: MigrationDesk always talks UTF8 to the server.</source>
        <translation>client_encoding=%1 설정은 지원되지 않습니다. MigrationDesk는 서버와 항상 UTF8로 통신합니다.</translation>
    </message>
    <message>
        <source>The replication parameter is not allowed: a replication connection cannot run migrations.</source>
        <translation>replication 매개변수는 사용할 수 없습니다. 복제 연결로는 마이그레이션을 실행할 수 없습니다.</translation>
    </message>
    <message>
        <source>The sslpassword parameter is not supported; use an unencrypted client key file or a service file instead.</source>
        <translation>sslpassword 매개변수는 지원되지 않습니다. 암호화되지 않은 클라이언트 키 파일이나 서비스 파일을 사용하세요.</translation>
    </message>
    <message>
        <source>Unknown connection parameter &quot;%1&quot;. Supported parameters: %2.</source>
        <translation>알 수 없는 연결 매개변수 &quot;%1&quot;입니다. 지원되는 매개변수: %2.</translation>
    </message>
    <message>
        <source>Not a database URL. Expected postgresql://user:password@host:port/database.</source>
        <translation>데이터베이스 URL이 아닙니다. postgresql://user:password@host:port/database 형식이어야 합니다.</translation>
    </message>
    <message>
        <source>Unsupported URL scheme &quot;%1&quot;: use postgresql://, postgres:// or postgresql+&lt;driver&gt;://.</source>
        <translation>지원되지 않는 URL 스킴 &quot;%1&quot;입니다. postgresql://, postgres:// 또는 postgresql+&lt;driver&gt;://를 사용하세요.</translation>
    </message>
    <message>
        <source>The URL contains &apos;#&apos;, which would cut it short.</source>
        <translation>URL에 &apos;#&apos;이 있어 그 뒤가 잘립니다.</translation>
    </message>
    <message>
        <source>The URL contains spaces; percent-encode them as %20.</source>
        <translation>URL에 공백이 있습니다. 공백은 %20으로 퍼센트 인코딩하세요.</translation>
    </message>
    <message>
        <source>The user name or password in the URL has a malformed %-escape.</source>
        <translation>URL의 사용자 이름이나 비밀번호에 잘못된 % 이스케이프가 있습니다.</translation>
    </message>
    <message>
        <source>The IPv6 address in the URL is malformed; write it as [::1]:5432.</source>
        <translation>URL의 IPv6 주소 형식이 잘못되었습니다. [::1]:5432처럼 쓰세요.</translation>
    </message>
    <message>
        <source>Put IPv6 addresses in brackets, for example postgresql://user@[::1]:5432/db.</source>
        <translation>IPv6 주소는 대괄호로 감싸세요. 예: postgresql://user@[::1]:5432/db</translation>
    </message>
    <message>
        <source>The host name in the URL has a malformed %-escape.</source>
        <translation>URL의 호스트 이름에 잘못된 % 이스케이프가 있습니다.</translation>
    </message>
    <message>
        <source>The port in the URL is not a number between 1 and 65535.</source>
        <translation>URL의 포트가 1에서 65535 사이의 숫자가 아닙니다.</translation>
    </message>
    <message>
        <source>The database name in the URL contains &apos;@&apos;.</source>
        <translation>URL의 데이터베이스 이름에 &apos;@&apos;이 있습니다.</translation>
    </message>
    <message>
        <source>The database name in the URL has a malformed %-escape.</source>
        <translation>URL의 데이터베이스 이름에 잘못된 % 이스케이프가 있습니다.</translation>
    </message>
    <message>
        <source>Malformed URL query parameter; expected key=value pairs joined by &amp;.</source>
        <translation>URL 쿼리 매개변수 형식이 잘못되었습니다. &amp;로 이어진 key=value 쌍이어야 합니다.</translation>
    </message>
    <message>
        <source>The value of the URL parameter &quot;%1&quot; has a malformed %-escape.</source>
        <translation>URL 매개변수 &quot;%1&quot;의 값에 잘못된 % 이스케이프가 있습니다.</translation>
    </message>
    <message>
        <source>POSTGRES_PORT=%1 is not a number between 1 and 65535.</source>
        <translation>POSTGRES_PORT=%1 값이 1에서 65535 사이의 숫자가 아닙니다.</translation>
    </message>
    <message>
        <source>The port %1 is not between 1 and 65535.</source>
        <translation>%1 포트가 1에서 65535 사이가 아닙니다.</translation>
    </message>
    <message>
        <source>sslmode &quot;%1&quot; is not one of %2.</source>
        <translation>&quot;%1&quot; sslmode 값은 %2 중 하나가 아닙니다.</translation>
    </message>
    <message>
        <source>Connection settings cannot contain NUL characters.</source>
        <translation>연결 설정에는 NUL 문자를 넣을 수 없습니다.</translation>
    </message>
    <message>
        <source>The value of %1 cannot contain &apos;;&apos; (the Qt PostgreSQL driver treats it as a separator).</source>
        <translation>%1의 값에는 &apos;;&apos;을 넣을 수 없습니다(Qt PostgreSQL 드라이버가 구분자로 처리합니다).</translation>
    </message>
    <message>
        <source>Unknown or unsupported connection option &quot;%1&quot;. Supported options: %2.</source>
        <translation>알 수 없거나 지원되지 않는 연결 옵션 &quot;%1&quot;입니다. 지원되는 옵션: %2.</translation>
    </message>
    <message>
        <source>connect_timeout &quot;%1&quot; is not a number of seconds.</source>
        <translation>&quot;%1&quot; connect_timeout 값이 초 단위 숫자가 아닙니다.</translation>
    </message>
</context>
<context>
    <name>DemoData</name>
    <message>
        <source>Not connected to a database.</source>
        <translation>데이터베이스에 연결되어 있지 않습니다.</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>취소했습니다.</translation>
    </message>
    <message>
        <source>The numbers of employees and schedules cannot be negative.</source>
        <translation>직원 수와 일정 수는 음수일 수 없습니다.</translation>
    </message>
    <message>
        <source>The deleted ratio must be between 0 and 1.</source>
        <translation>삭제 비율은 0에서 1 사이여야 합니다.</translation>
    </message>
    <message>
        <source>The connection is already inside a transaction.</source>
        <translation>연결이 이미 트랜잭션 안에 있습니다.</translation>
    </message>
    <message>
        <source>Could not read the version table: %1</source>
        <translation>버전 테이블을 읽을 수 없습니다: %1</translation>
    </message>
    <message>
        <source>The database is not at head (it is at %1; head is %2). Run &apos;upgrade head&apos; first; nothing was added.</source>
        <translation>데이터베이스가 head에 있지 않습니다(현재 %1, head는 %2). 먼저 &apos;upgrade head&apos;를 실행하세요. 아무것도 추가하지 않았습니다.</translation>
    </message>
    <message>
        <source>Adding employees failed: %1</source>
        <translation>직원 추가 실패: %1</translation>
    </message>
    <message>
        <source>Schedules need employees: there are none; add some with --employees.</source>
        <translation>일정에는 직원이 필요한데 직원이 없습니다. --employees로 추가하세요.</translation>
    </message>
    <message>
        <source>Adding schedules failed: %1</source>
        <translation>일정 추가 실패: %1</translation>
    </message>
    <message>
        <source>Could not commit: %1</source>
        <translation>커밋할 수 없습니다: %1</translation>
    </message>
    <message>
        <source>The rows were added, but ANALYZE failed: %1</source>
        <translation>행은 추가했지만 ANALYZE가 실패했습니다: %1</translation>
    </message>
    <message>
        <source>Could not read the sizes of the tables: %1</source>
        <translation>테이블 크기를 읽을 수 없습니다: %1</translation>
    </message>
    <message>
        <source>Rebuilding the indexes and foreign keys failed: %1</source>
        <translation>인덱스와 외래 키를 다시 만들지 못했습니다: %1</translation>
    </message>
    <message>
        <source>At most %L1 employees and %L2 schedules can be added in one run.</source>
        <translation>한 번에 추가할 수 있는 직원은 최대 %L1명, 일정은 최대 %L2건입니다.</translation>
    </message>
    <message>
        <source>The new ids would pass %L1, the largest id the employees and schedules tables hold.</source>
        <translation>새 id가 employees와 schedules 테이블이 담을 수 있는 가장 큰 id 값인 %L1을 넘게 됩니다.</translation>
    </message>
</context>
<context>
    <name>DriftCheck</name>
    <message>
        <source>revision %1 is in the database but missing from the scripts</source>
        <translation>%1 리비전이 데이터베이스에는 있지만 스크립트에는 없습니다</translation>
    </message>
    <message>
        <source>script %1 of applied revision %2 was edited after it was applied (SHA-256 then %3, now %4)</source>
        <translation>적용된 리비전 %2의 %1 스크립트가 적용 후 수정되었습니다(당시 SHA-256 %3, 현재 %4)</translation>
    </message>
    <message>
        <source>No schema snapshot has been recorded for this database yet, so schema drift cannot be checked. Run upgrade or stamp with MigrationDesk once to record one.</source>
        <translation>이 데이터베이스에는 아직 스키마 스냅샷이 기록되지 않아 스키마 드리프트를 검사할 수 없습니다. 스냅샷을 기록하려면 MigrationDesk로 upgrade나 stamp를 한 번 실행하세요.</translation>
    </message>
    <message>
        <source>the version table says %1 but the snapshot was recorded at %2: the database was migrated or stamped outside MigrationDesk</source>
        <translation>버전 테이블은 %1인데 스냅샷은 %2에서 기록되었습니다. 데이터베이스가 MigrationDesk 밖에서 마이그레이션되었거나 스탬프되었습니다</translation>
    </message>
    <message>
        <source>base</source>
        <translation>base</translation>
    </message>
    <message>
        <source>The recorded schema snapshot predates owner, privilege and comment tracking, so GRANT, OWNER and COMMENT changes are not checked. Any upgrade or stamp with MigrationDesk records a new snapshot.</source>
        <translation>기록된 스키마 스냅샷은 소유자, 권한, 주석을 추적하기 전에 만들어져 GRANT, OWNER, COMMENT 변경은 검사하지 않습니다. MigrationDesk로 upgrade나 stamp를 한 번 실행하면 새 스냅샷이 기록됩니다.</translation>
    </message>
    <message>
        <source>The last schema snapshot was recorded at %1.</source>
        <translation>마지막 스키마 스냅샷은 %1에서 기록되었습니다.</translation>
    </message>
</context>
<context>
    <name>EnumLabels</name>
    <message>
        <source>Visit</source>
        <translation>방문</translation>
    </message>
    <message>
        <source>Meeting</source>
        <translation>회의</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>교육</translation>
    </message>
    <message>
        <source>Report</source>
        <translation>보고</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>기타</translation>
    </message>
    <message>
        <source>Scheduled</source>
        <translation>예정</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>진행 중</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>완료</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>High</source>
        <translation>높음</translation>
    </message>
    <message>
        <source>Medium</source>
        <translation>보통</translation>
    </message>
    <message>
        <source>Low</source>
        <translation>낮음</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>관리자</translation>
    </message>
    <message>
        <source>User</source>
        <translation>사용자</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::AlembicImportDialog</name>
    <message>
        <source>Import Alembic Project</source>
        <translation>Alembic 프로젝트 가져오기</translation>
    </message>
    <message>
        <source>Alembic renders each revision&apos;s upgrade and downgrade as SQL, offline; nothing connects to a database. The scripts keep every revision id, branch label and dependency.</source>
        <translation>Alembic이 각 리비전의 업그레이드와 다운그레이드를 오프라인에서 SQL로 변환합니다. 데이터베이스에는 연결하지 않습니다. 스크립트에는 리비전 ID, 브랜치 레이블, 의존성이 모두 그대로 유지됩니다.</translation>
    </message>
    <message>
        <source>the project&apos;s alembic.ini, or the folder holding it</source>
        <translation>프로젝트의 alembic.ini 또는 그 파일이 있는 폴더</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>찾아보기…</translation>
    </message>
    <message>
        <source>Alembic project:</source>
        <translation>Alembic 프로젝트:</translation>
    </message>
    <message>
        <source>an empty folder for the MigrationDesk scripts</source>
        <translation>MigrationDesk 스크립트를 저장할 빈 폴더</translation>
    </message>
    <message>
        <source>Output folder:</source>
        <translation>출력 폴더:</translation>
    </message>
    <message>
        <source>automatic: the Python that runs alembic on PATH, else python3</source>
        <translation>자동: PATH에서 alembic을 실행하는 Python, 없으면 python3</translation>
    </message>
    <message>
        <source>Python:</source>
        <translation>Python:</translation>
    </message>
    <message>
        <source>Revision</source>
        <translation>리비전</translation>
    </message>
    <message>
        <source>Branch labels</source>
        <translation>브랜치 레이블</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>메시지</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>상태</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>가져오기</translation>
    </message>
    <message>
        <source>Cancel Import</source>
        <translation>가져오기 취소</translation>
    </message>
    <message>
        <source>Open as Migration Source</source>
        <translation>마이그레이션 소스로 열기</translation>
    </message>
    <message>
        <source>Choose the project&apos;s alembic.ini</source>
        <translation>프로젝트의 alembic.ini 선택</translation>
    </message>
    <message>
        <source>Alembic configuration (*.ini);;All files (*)</source>
        <translation>Alembic 설정 (*.ini);;모든 파일 (*)</translation>
    </message>
    <message>
        <source>Choose the folder for the scripts</source>
        <translation>스크립트를 저장할 폴더 선택</translation>
    </message>
    <message>
        <source>Choose the project&apos;s alembic.ini, or the folder holding it.</source>
        <translation>프로젝트의 alembic.ini 파일이나 그 파일이 있는 폴더를 선택하세요.</translation>
    </message>
    <message>
        <source>%1 does not exist.</source>
        <translation>%1 경로가 없습니다.</translation>
    </message>
    <message>
        <source>Choose an empty folder to write the scripts into.</source>
        <translation>스크립트를 저장할 빈 폴더를 선택하세요.</translation>
    </message>
    <message>
        <source>Starting Python…</source>
        <translation>Python을 시작하는 중…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>취소하는 중…</translation>
    </message>
    <message>
        <source>Alembic is reading and rendering every revision…</source>
        <translation>Alembic이 모든 리비전을 읽고 변환하는 중…</translation>
    </message>
    <message>
        <source>Writing the scripts…</source>
        <translation>스크립트를 저장하는 중…</translation>
    </message>
    <message>
        <source>Checking that the scripts load…</source>
        <translation>스크립트를 불러올 수 있는지 확인하는 중…</translation>
    </message>
    <message>
        <source>The import was cancelled; nothing was written.</source>
        <translation>가져오기를 취소했습니다. 아무것도 저장하지 않았습니다.</translation>
    </message>
    <message numerus="yes">
        <source>Imported %n revision(s) into %1 (Alembic %2). </source>
        <translation>
            <numerusform>리비전 %n개를 %1 폴더로 가져왔습니다(Alembic %2). </numerusform>
        </translation>
    </message>
    <message>
        <source>Heads: %1.</source>
        <translation>헤드: %1.</translation>
    </message>
    <message numerus="yes">
        <source>%n revision(s) need review: translate each by hand, then delete its needs_review header. Until then they cannot be run or stamped.</source>
        <translation>
            <numerusform>리비전 %n개를 검토해야 합니다. 각 리비전을 직접 SQL로 옮긴 뒤 needs_review 헤더를 삭제하세요. 그때까지는 실행하거나 스탬프할 수 없습니다.</numerusform>
        </translation>
    </message>
    <message>
        <source>Open the folder as the migration source for this session. Connect through a saved profile to have it remembered.</source>
        <translation>이 폴더를 이번 세션의 마이그레이션 소스로 엽니다. 저장된 프로필로 연결하면 이 설정이 기억됩니다.</translation>
    </message>
    <message>
        <source>Open the folder as the migration source; it will be remembered for the connection profile “%1”.</source>
        <translation>이 폴더를 마이그레이션 소스로 엽니다. 이 설정은 연결 프로필 “%1”에 기억됩니다.</translation>
    </message>
    <message>
        <source>Nothing was imported: %1</source>
        <translation>아무것도 가져오지 않았습니다: %1</translation>
    </message>
    <message>
        <source>Rendered</source>
        <translation>변환 완료</translation>
    </message>
    <message>
        <source>Needs review: %1</source>
        <translation>검토 필요: %1</translation>
    </message>
    <message>
        <source>Rendered faithfully into %1</source>
        <translation>%1 파일로 그대로 변환했습니다</translation>
    </message>
    <message>
        <source>%1 keeps the Python source as comments.
%2</source>
        <translation>%1 파일에 Python 소스가 주석으로 남아 있습니다.
%2</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::AlembicImportLauncher</name>
    <message>
        <source>Import Alembic Project…</source>
        <translation>Alembic 프로젝트 가져오기…</translation>
    </message>
    <message>
        <source>Turn an Alembic project into MigrationDesk scripts with the same revision ids</source>
        <translation>Alembic 프로젝트를 리비전 ID가 같은 MigrationDesk 스크립트로 변환합니다</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::AlembicImportWorker</name>
    <message>
        <source>%1 does not exist; choose an alembic.ini or the folder holding it.</source>
        <translation>%1 경로가 없습니다. alembic.ini 파일이나 그 파일이 있는 폴더를 선택하세요.</translation>
    </message>
    <message>
        <source>The import was cancelled.</source>
        <translation>가져오기를 취소했습니다.</translation>
    </message>
    <message>
        <source>The imported scripts do not load:
%1</source>
        <translation>가져온 스크립트를 불러올 수 없습니다:
%1</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::BulkLoad</name>
    <message>
        <source>Not connected to a database.</source>
        <translation>데이터베이스에 연결되어 있지 않습니다.</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>취소했습니다.</translation>
    </message>
    <message>
        <source>Could not read the indexes and foreign keys of %1: %2</source>
        <translation>%1의 인덱스와 외래 키를 읽을 수 없습니다: %2</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::CalendarPainter</name>
    <message>
        <source>Reading…</source>
        <translation>읽는 중…</translation>
    </message>
    <message>
        <source>%1 – %2</source>
        <translation>%1 ~ %2</translation>
    </message>
    <message>
        <source>Busiest day</source>
        <translation>가장 바쁜 날</translation>
    </message>
    <message>
        <source>All day</source>
        <translation>종일</translation>
    </message>
    <message>
        <source>+%n more</source>
        <translation>+%n건</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::CalendarPane</name>
    <message>
        <source>Today</source>
        <translation>오늘</translation>
    </message>
    <message>
        <source>Go to today (Home)</source>
        <translation>오늘로 이동 (Home)</translation>
    </message>
    <message>
        <source>Previous week or month (Page Up)</source>
        <translation>이전 주 또는 달 (Page Up)</translation>
    </message>
    <message>
        <source>Next week or month (Page Down)</source>
        <translation>다음 주 또는 달 (Page Down)</translation>
    </message>
    <message>
        <source>Previous</source>
        <translation>이전</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>다음</translation>
    </message>
    <message>
        <source>Export PDF…</source>
        <translation>PDF로 내보내기…</translation>
    </message>
    <message>
        <source>Save the visible week or month as a PDF file</source>
        <translation>보이는 주 또는 달을 PDF 파일로 저장합니다</translation>
    </message>
    <message>
        <source>%1 – %2</source>
        <comment>a week&apos;s first and last day</comment>
        <translation>%1 ~ %2</translation>
    </message>
    <message>
        <source>MMMM yyyy</source>
        <extracomment>A QDate format for a month&apos;s title: translate to the order your language writes it in (&quot;yyyy년 M월&quot;).</extracomment>
        <translation>yyyy년 M월</translation>
    </message>
    <message>
        <source>Reading…</source>
        <translation>읽는 중…</translation>
    </message>
    <message numerus="yes">
        <source>%n schedules, counted per day</source>
        <translation>
            <numerusform>일정 %n건 (날짜별 집계)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n schedules</source>
        <translation>
            <numerusform>일정 %n건</numerusform>
        </translation>
    </message>
    <message>
        <source>Busiest day: %1 (%2)</source>
        <translation>가장 바쁜 날: %1 (%2건)</translation>
    </message>
    <message>
        <source>Too many to draw one by one: filter by an employee or a department to see each.</source>
        <translation>일정이 너무 많아 하나씩 그릴 수 없습니다. 각 일정을 보려면 직원이나 부서로 필터링하세요.</translation>
    </message>
    <message>
        <source>Could not write %1.</source>
        <translation>%1에 쓸 수 없습니다.</translation>
    </message>
    <message>
        <source>Export PDF</source>
        <translation>PDF로 내보내기</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 파일 (*.pdf)</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::CalendarRangeQuery</name>
    <message>
        <source>Not connected.</source>
        <translation>연결되어 있지 않습니다.</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::CliApp</name>
    <message>
        <source>error: %1</source>
        <translation>오류: %1</translation>
    </message>
    <message>
        <source>Run &apos;migrationdesk-cli --help&apos; for usage.</source>
        <translation>사용법은 &apos;migrationdesk-cli --help&apos;를 실행해 확인하세요.</translation>
    </message>
    <message>
        <source>%1 needs a value</source>
        <translation>%1에는 값이 필요합니다</translation>
    </message>
    <message>
        <source>unknown global option &apos;%1&apos; (global options come before the command)</source>
        <translation>알 수 없는 전역 옵션 &apos;%1&apos; (전역 옵션은 명령보다 앞에 와야 합니다)</translation>
    </message>
    <message>
        <source>no command given</source>
        <translation>명령이 지정되지 않았습니다</translation>
    </message>
    <message>
        <source>unknown command &apos;%1&apos;</source>
        <translation>알 수 없는 명령 &apos;%1&apos;</translation>
    </message>
    <message>
        <source>unknown option &apos;%1&apos; for %2</source>
        <translation>%2에 대한 알 수 없는 옵션 &apos;%1&apos;</translation>
    </message>
    <message>
        <source>%1 needs a target revision</source>
        <translation>%1에는 대상 리비전이 필요합니다</translation>
    </message>
    <message>
        <source>%1 needs at least %2 revisions</source>
        <translation>%1에는 리비전이 %2개 이상 필요합니다</translation>
    </message>
    <message>
        <source>unexpected argument &apos;%1&apos; for %2</source>
        <translation>%2에 예상치 못한 인수 &apos;%1&apos;</translation>
    </message>
    <message>
        <source>the migration scripts are invalid; nothing was done:
%1</source>
        <translation>마이그레이션 스크립트가 올바르지 않아 아무것도 실행하지 않았습니다:
%1</translation>
    </message>
    <message>
        <source>--sandbox and --url cannot be combined</source>
        <translation>--sandbox와 --url은 함께 쓸 수 없습니다</translation>
    </message>
    <message>
        <source>Sandbox: %1 (%2%)</source>
        <translation>샌드박스: %1 (%2%)</translation>
    </message>
    <message>
        <source>invalid --url: %1</source>
        <translation>잘못된 --url: %1</translation>
    </message>
    <message>
        <source>Connection settings from %1.</source>
        <translation>연결 설정 출처: %1.</translation>
    </message>
    <message>
        <source>could not read the version table: %1</source>
        <translation>버전 테이블을 읽을 수 없습니다: %1</translation>
    </message>
    <message>
        <source>Current revision(s) for %1:</source>
        <translation>%1의 현재 리비전:</translation>
    </message>
    <message>
        <source> (missing from the scripts)</source>
        <translation> (스크립트 없음)</translation>
    </message>
    <message>
        <source>history range &apos;%1&apos; must be of the form [start]:[end]</source>
        <translation>&apos;%1&apos; history 범위는 [start]:[end] 형식이어야 합니다</translation>
    </message>
    <message>
        <source>Waiting for the migration lock, held by %1...</source>
        <translation>마이그레이션 잠금을 기다리는 중입니다. 잠금 보유자: %1...</translation>
    </message>
    <message>
        <source>Waiting for the server to end the session of an interrupted earlier run (%1)...</source>
        <translation>중단된 이전 실행의 세션을 서버가 끝내기를 기다리는 중입니다(%1)...</translation>
    </message>
    <message>
        <source>  [%1/%2] line %3: %4</source>
        <translation>  [%1/%2] %3행: %4</translation>
    </message>
    <message>
        <source>        done in %1 ms</source>
        <translation>        %1ms 만에 완료</translation>
    </message>
    <message>
        <source>a FROM:TO range is only meaningful with --sql</source>
        <translation>FROM:TO 범위는 --sql과 함께 쓸 때만 의미가 있습니다</translation>
    </message>
    <message>
        <source>Running upgrade %1 -&gt; %2, %3</source>
        <translation>업그레이드 실행 중 %1 -&gt; %2, %3</translation>
    </message>
    <message>
        <source>Running downgrade %1 -&gt; %2, %3</source>
        <translation>다운그레이드 실행 중 %1 -&gt; %2, %3</translation>
    </message>
    <message>
        <source>Nothing to do: the database (%1) is already at %2.</source>
        <translation>할 일이 없습니다: 데이터베이스(%1)가 이미 %2에 있습니다.</translation>
    </message>
    <message>
        <source>Plan for %1 %2 on %3, from %4 (dry run, nothing changed):</source>
        <translation>%3에서 %4부터 %1 %2 실행 계획 (드라이 런, 변경 없음):</translation>
    </message>
    <message>
        <source>  [non-transactional]</source>
        <translation>  [트랜잭션 밖에서 실행]</translation>
    </message>
    <message>
        <source>Nothing to do: the database is already at %1.</source>
        <translation>할 일이 없습니다: 데이터베이스가 이미 %1에 있습니다.</translation>
    </message>
    <message numerus="yes">
        <source>Done: %n revision(s) applied; now at %1.</source>
        <translation>
            <numerusform>완료: 리비전 %n개를 적용했습니다. 현재 %1입니다.</numerusform>
        </translation>
    </message>
    <message>
        <source>downgrade with --sql requires &lt;fromrev&gt;:&lt;torev&gt;</source>
        <translation>--sql로 다운그레이드하려면 &lt;fromrev&gt;:&lt;torev&gt;가 필요합니다</translation>
    </message>
    <message>
        <source>Stamped %1: version table now at %2.</source>
        <translation>%1 스탬프 완료: 버전 테이블이 이제 %2입니다.</translation>
    </message>
    <message>
        <source>check failed: %1</source>
        <translation>검사 실패: %1</translation>
    </message>
    <message>
        <source>No drift: the schema of %1 matches what its applied revisions built, and no applied script changed.</source>
        <translation>드리프트 없음: %1의 스키마가 적용된 리비전이 만든 것과 같고, 적용된 스크립트도 바뀌지 않았습니다.</translation>
    </message>
    <message>
        <source>Drift found in %1:</source>
        <translation>%1에서 드리프트(스키마 불일치)를 발견했습니다:</translation>
    </message>
    <message>
        <source>  schema: %1</source>
        <translation>  스키마: %1</translation>
    </message>
    <message>
        <source>  script: %1</source>
        <translation>  스크립트: %1</translation>
    </message>
    <message>
        <source>%1 writes a new script and needs --migrations DIR (the bundled scripts are read-only)</source>
        <translation>%1 명령은 새 스크립트를 만들기 때문에 --migrations DIR이 필요합니다(내장 스크립트는 읽기 전용입니다)</translation>
    </message>
    <message>
        <source>%1 needs a message: -m &quot;...&quot;</source>
        <translation>%1에는 메시지가 필요합니다: -m &quot;...&quot;</translation>
    </message>
    <message>
        <source>merge needs at least two distinct revisions</source>
        <translation>merge에는 서로 다른 리비전이 두 개 이상 필요합니다</translation>
    </message>
    <message>
        <source>Multiple heads are present (%1); please specify the head revision on which the new revision should be based with --head, or perform a merge.</source>
        <translation>헤드가 여러 개 있습니다(%1). 새 리비전의 기준이 될 헤드 리비전을 --head로 지정하거나 병합(merge)을 수행하세요.</translation>
    </message>
    <message>
        <source>Generating %1 ...  done</source>
        <translation>%1 생성 중 ...  완료</translation>
    </message>
    <message>
        <source>demo-data needs --employees N and --schedules M</source>
        <translation>demo-data에는 --employees N과 --schedules M이 필요합니다</translation>
    </message>
    <message>
        <source>--deleted-ratio needs a number between 0 and 1</source>
        <translation>--deleted-ratio에는 0에서 1 사이의 숫자가 필요합니다</translation>
    </message>
    <message>
        <source>--seed needs a whole number of 0 or more</source>
        <translation>--seed에는 0 이상의 정수가 필요합니다</translation>
    </message>
    <message>
        <source>Added %1 of %2 rows (%3%)</source>
        <translation>%2행 중 %1행 추가 (%3%)</translation>
    </message>
    <message>
        <source>Added %1 employees and %2 schedules to %3 in %4 s (%5 rows/s).</source>
        <translation>%3에 직원 %1명과 일정 %2건을 %4초 만에 추가했습니다(초당 %5행).</translation>
    </message>
    <message>
        <source>
upgrade and downgrade also take --restart-revision: run an interrupted non-transactional revision
again from statement 1, once its script is safe to repeat (an edited one is never resumed by position).
</source>
        <translation>
upgrade와 downgrade에는 --restart-revision도 쓸 수 있습니다: 트랜잭션 밖에서 실행되다 중단된 리비전을, 스크립트를
반복 실행해도 안전하게 만든 뒤 문 1부터 다시 실행합니다(수정된 스크립트는 위치 기준으로 이어서 실행하지 않습니다).
</translation>
    </message>
    <message>
        <source>warning: %1</source>
        <translation>경고: %1</translation>
    </message>
    <message>
        <source>--sql does not connect, so it cannot be combined with --backup, --dry-run or --restart-revision</source>
        <translation>--sql은 데이터베이스에 연결하지 않으므로 --backup, --dry-run, --restart-revision과 함께 쓸 수 없습니다</translation>
    </message>
    <message>
        <source>Would stamp %1: the version table would go from %2 to %3 (dry run, nothing changed).</source>
        <translation>%1 스탬프 예정: 버전 테이블의 리비전이 %2에서 %3 리비전으로 바뀝니다 (드라이 런, 변경 없음).</translation>
    </message>
    <message>
        <source>a password given in --url is visible to other users of this machine (ps, /proc/PID/cmdline) until the tool starts. Use PGPASSWORD, ~/.pgpass or the desktop app&apos;s keychain instead.</source>
        <translation>--url에 준 비밀번호는 도구가 시작될 때까지 이 컴퓨터의 다른 사용자에게 보입니다(ps, /proc/PID/cmdline). 대신 PGPASSWORD, ~/.pgpass 또는 데스크톱 앱의 키체인을 사용하세요.</translation>
    </message>
    <message numerus="yes">
        <source>%1... (%n characters)</source>
        <translation>
            <numerusform>%1... (%n자)</numerusform>
        </translation>
    </message>
    <message>
        <source>--json cannot be combined with --sql (the SQL script is the output)</source>
        <translation>--json은 --sql과 함께 쓸 수 없습니다(SQL 스크립트 자체가 출력입니다)</translation>
    </message>
    <message>
        <source>%1: a revision argument is empty</source>
        <translation>%1: 리비전 인수가 비어 있습니다</translation>
    </message>
    <message>
        <source>%1: the revision argument &apos;%2&apos; is too long (at most %3 characters)</source>
        <translation>%1: &apos;%2&apos; 리비전 인수가 너무 깁니다(최대 %3자)</translation>
    </message>
    <message>
        <source>--employees needs a whole number from 0 to %1</source>
        <translation>--employees에는 0부터 %1까지의 정수가 필요합니다</translation>
    </message>
    <message>
        <source>--schedules needs a whole number from 0 to %1</source>
        <translation>--schedules에는 0부터 %1까지의 정수가 필요합니다</translation>
    </message>
    <message>
        <source>The database is at base: the range ends before the first revision.</source>
        <translation>데이터베이스가 base에 있습니다: 범위가 첫 리비전보다 앞에서 끝납니다.</translation>
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
upgrade와 downgrade의 실행 중 보호 장치 (전역 옵션):
  --lock-retries N       잠금 타임아웃이 나면 리비전을 롤백하고 최대 N번 다시 시도,
                         시도 사이에 1초, 2초, 4초 ... (최대 30초) 대기 (기본값 0)
  --statement-timeout T  각 마이그레이션 문의 statement_timeout (예: 500ms, 30s, 5min)
                         (기본값: 서버 설정)
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
                                           Alembic 프로젝트(PATH: alembic.ini 또는 그 폴더)를 DIR에
                                           스크립트로 저장. 리비전 ID, 브랜치 레이블, depends_on 유지.
                                           검토가 필요한 리비전이 있으면 종료 코드 1
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
실행 전 검토 (각 단계가 무엇을 잠그고, 다시 쓰고, 삭제하는지 현재 테이블 크기를 기준으로 평가):
  review [TARGET] [--downgrade] [--fail-on LEVEL] [--offline [--from REV]]
         [--danger-rows N] [--danger-bytes SIZE]
                     TARGET 기본값은 head. --downgrade는 TARGET까지의 다운그레이드를 검토. LEVEL
                     이상인 발견 사항이 있으면 종료 코드 5 (info, warning, danger, error; 기본값 error).
                     --offline은 스크립트만 읽고(크기 알 수 없음) REV부터 검토 (기본값: 업그레이드는
                     base, 다운그레이드는 heads). 행이 N개(기본값 100000) 이상이거나 크기가
                     SIZE(기본값 100MB) 이상인 단계는 danger.
  upgrade/downgrade는 danger와 error 발견 사항을 먼저 출력. error 발견 사항이 있으면 아무것도 바꾸기 전에
  중단 (종료 코드 5). 단, --accept RULE(반복 가능)로 그 규칙을 지정하면 진행. --dry-run은 모든 발견 사항을 표시.
  문 바로 위에 &quot;-- review: allow RULE reason&quot; 주석이 있으면 그 발견 사항을 허용.
종료 코드 5: --fail-on에 지정한 수준의 발견 사항이 있거나 error 발견 사항이 실행을 막았음.
</translation>
    </message>
    <message>
        <source>Lock timeout on try %1 of %2; trying again in %3 s...</source>
        <translation>%2회 중 %1번째 시도에서 잠금 타임아웃이 발생했습니다. %3초 뒤에 다시 시도합니다...</translation>
    </message>
    <message>
        <source>--lock-retries needs a whole number from 0 to 100, not &apos;%1&apos;</source>
        <translation>--lock-retries에는 &apos;%1&apos; 값이 아니라 0부터 100까지의 정수가 필요합니다</translation>
    </message>
    <message>
        <source>--statement-timeout needs a duration such as 500ms, 30s or 5min, not &apos;%1&apos;</source>
        <translation>--statement-timeout에는 &apos;%1&apos; 값이 아니라 500ms, 30s, 5min 같은 시간이 필요합니다</translation>
    </message>
    <message>
        <source>import-alembic needs --out DIR, the folder to write the scripts into</source>
        <translation>import-alembic에는 스크립트를 저장할 폴더인 --out DIR이 필요합니다</translation>
    </message>
    <message>
        <source>%1 does not exist; give an alembic.ini or the folder holding it</source>
        <translation>%1 경로가 없습니다. alembic.ini 파일이나 그 파일이 있는 폴더를 지정하세요</translation>
    </message>
    <message>
        <source>Reading the Alembic project at %1 ...</source>
        <translation>%1의 Alembic 프로젝트를 읽는 중 ...</translation>
    </message>
    <message>
        <source>the imported scripts do not load:
%1</source>
        <translation>가져온 스크립트를 불러올 수 없습니다:
%1</translation>
    </message>
    <message>
        <source>rendered    </source>
        <translation>변환 완료</translation>
    </message>
    <message>
        <source>NEEDS REVIEW</source>
        <translation>검토 필요</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message numerus="yes">
        <source>Imported %n revision(s) from %1 into %2 (Alembic %3, %4).</source>
        <translation>
            <numerusform>%1에서 리비전 %n개를 %2 폴더로 가져왔습니다(Alembic %3, %4).</numerusform>
        </translation>
    </message>
    <message>
        <source>Heads: %1</source>
        <translation>헤드: %1</translation>
    </message>
    <message>
        <source>Branch labels: %1</source>
        <translation>브랜치 레이블: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n revision(s) need review: translate each by hand, then delete its needs_review header. Until then MigrationDesk refuses to run or stamp through them.</source>
        <translation>
            <numerusform>리비전 %n개를 검토해야 합니다. 각 리비전을 직접 SQL로 옮긴 뒤 needs_review 헤더를 삭제하세요. 그때까지 MigrationDesk는 이 리비전을 실행하지 않으며, 이 리비전을 거쳐 스탬프하지도 않습니다.</numerusform>
        </translation>
    </message>
    <message>
        <source>Every revision rendered cleanly.</source>
        <translation>모든 리비전을 문제없이 변환했습니다.</translation>
    </message>
    <message>
        <source>%1 (allowed: %2)</source>
        <translation>%1 (허용됨: %2)</translation>
    </message>
    <message>
        <source>--danger-rows needs a number of rows, not &apos;%1&apos;</source>
        <translation>--danger-rows에는 &apos;%1&apos; 값이 아니라 행 수가 필요합니다</translation>
    </message>
    <message>
        <source>--danger-bytes needs a size such as 104857600 or 100MB, not &apos;%1&apos;</source>
        <translation>--danger-bytes에는 &apos;%1&apos; 값이 아니라 104857600이나 100MB 같은 크기가 필요합니다</translation>
    </message>
    <message>
        <source>line %1</source>
        <translation>%1행</translation>
    </message>
    <message>
        <source>%1 lock</source>
        <translation>%1 잠금</translation>
    </message>
    <message>
        <source>allowed: %1</source>
        <translation>허용됨: %1</translation>
    </message>
    <message>
        <source>review --downgrade needs a target revision</source>
        <translation>review --downgrade에는 대상 리비전이 필요합니다</translation>
    </message>
    <message>
        <source>--from is only meaningful with --offline (online, the database says where it is)</source>
        <translation>--from은 --offline과 함께 쓸 때만 의미가 있습니다(온라인에서는 데이터베이스가 현재 리비전을 알려 줍니다)</translation>
    </message>
    <message>
        <source>--fail-on takes info, warning, danger or error, not &apos;%1&apos;</source>
        <translation>--fail-on에는 &apos;%1&apos; 값이 아니라 info, warning, danger, error 중 하나가 필요합니다</translation>
    </message>
    <message>
        <source>the scripts alone (offline: sizes unknown)</source>
        <translation>스크립트만 사용, 오프라인이라 크기 알 수 없음</translation>
    </message>
    <message>
        <source>Review of %1 %2 on %3, from %4:</source>
        <translation>%1 %2 검토 (%3, %4부터):</translation>
    </message>
    <message>
        <source>  Nothing to do.</source>
        <translation>  할 일이 없습니다.</translation>
    </message>
    <message numerus="yes">
        <source>%n finding(s) at or above %1 (--fail-on).</source>
        <translation>
            <numerusform>%1 이상 수준의 발견 사항이 %n개 있습니다(--fail-on).</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 %2, %3 line %4: %5%6</source>
        <translation>%1 %2, %3 %4행: %5%6</translation>
    </message>
    <message>
        <source>the pre-flight review found errors (%1), so nothing ran. Fix the script, or pass --accept RULE for each rule you have checked.</source>
        <translation>실행 전 검토에서 error 발견 사항(%1)이 있어 아무것도 실행하지 않았습니다. 스크립트를 고치거나, 확인한 규칙마다 --accept RULE을 지정하세요.</translation>
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
        <translation>사용법: migrationdesk-cli [전역 옵션] &lt;명령&gt; [인수] [명령 옵션]

전역 옵션:
  --url URL              postgresql://user:pass@host:port/db?sslmode=... (postgres:// 및
                         postgresql+psycopg2://도 가능). 기본값: DATABASE_URL, 다음으로 POSTGRES_USER/
                         POSTGRES_PASSWORD/POSTGRES_DB/POSTGRES_HOST/POSTGRES_PORT, 다음으로 libpq의
                         PG* 변수, ~/.pgpass 및 서비스 파일.
  --migrations DIR       내장 스크립트 대신 DIR에서 마이그레이션 스크립트를 읽음
  --version-table NAME   버전 테이블 (기본값 alembic_version, schema.table 형식 가능)
  --lock-timeout T       마이그레이션 문의 lock_timeout (기본값 10s)
  --single-transaction   업그레이드/다운그레이드 전체를 한 트랜잭션으로 실행
  --sandbox              로컬 샌드박스 클러스터 사용 (처음 사용할 때 생성하고 마이그레이션한 뒤
                         데모 데이터를 채움. 데스크톱 앱의 --sandbox와 같은 클러스터)
  --json                 기계가 읽을 수 있는 출력을 stdout으로
  --verbose              실행하는 각 문을 표시
  --quiet                오류만 출력
  --version, --help

명령 (Alembic과 같음):
  current [--verbose]                      데이터베이스의 리비전
  history [-r RANGE] [--verbose] [-i]      최신순 리비전 목록 (RANGE 예: base:head, -3:current)
  heads [--verbose] | branches [--verbose] | show REV
  upgrade TARGET [--sql] [--backup FILE] [--dry-run]
  downgrade TARGET [--sql] [--backup FILE] [--dry-run]
                                           TARGET: head, heads, base, REV, 접두사, +N, -N, REV+N, REV-N;
                                           --sql과 함께 FROM:TO 범위를 주면 오프라인 스크립트를 출력
  stamp TARGET [--dry-run]                 아무것도 실행하지 않고 버전 테이블만 기록(스탬프)
  check [--baseline]                       스키마 드리프트가 있거나 적용된 스크립트가 바뀌었으면 종료 코드 4,
                                           MigrationDesk 밖에서 적용된 리비전의 스냅샷이 없으면 종료 코드 6.
                                           --baseline은 현재 스키마를 그 스냅샷으로 기록
  revision -m MSG [--head REV] [--rev-id ID]  --migrations DIR에 빈 스크립트를 새로 만듦
  merge -m MSG REV... [--rev-id ID]        --migrations DIR에 여러 헤드를 합치는 병합 리비전을 만듦
  demo-data --employees N --schedules M [--deleted-ratio R] [--seed S]
                                           head에 있는 데이터베이스에 데모 행을 추가 (R 기본값 0.02)

종료 코드: 0 성공, 1 마이그레이션 실패, 2 사용법 오류, 3 연결 오류, 4 드리프트 발견,
5 검토 발견 사항 있음, 6 적용된 리비전의 스키마 스냅샷 없음 (check --baseline 참조).
</translation>
    </message>
    <message>
        <source>check --baseline recorded nothing: %1</source>
        <translation>check --baseline이 아무것도 기록하지 않았습니다: %1</translation>
    </message>
    <message>
        <source>Recorded the schema of %1 as the snapshot for %2; later checks compare with it.</source>
        <translation>%1의 스키마를 %2 리비전의 스냅샷으로 기록했습니다. 이후 검사는 이 스냅샷과 비교합니다.</translation>
    </message>
    <message>
        <source>No schema snapshot is recorded for revision %1 of %2: it was applied outside MigrationDesk (e.g. by Alembic), so schema drift cannot be checked.</source>
        <translation>%2의 리비전 %1에 대해 기록된 스키마 스냅샷이 없습니다. 이 리비전은 MigrationDesk 밖에서(예: Alembic으로) 적용되었으므로 스키마 드리프트를 검사할 수 없습니다.</translation>
    </message>
    <message>
        <source>No schema snapshot is recorded for revision %1 of %2, so schema drift cannot be checked.</source>
        <translation>%2의 리비전 %1에 대해 기록된 스키마 스냅샷이 없어 스키마 드리프트를 검사할 수 없습니다.</translation>
    </message>
    <message>
        <source>Run `check --baseline` to record the current schema as the snapshot for %1 (nothing else changes); later checks compare with it.</source>
        <translation>현재 스키마를 %1 리비전의 스냅샷으로 기록하려면 `check --baseline`을 실행하세요(다른 것은 바뀌지 않습니다). 이후 검사는 이 스냅샷과 비교합니다.</translation>
    </message>
    <message>
        <source>No schema snapshot is recorded for revision %1: `check --baseline` records one once the scripts are right.</source>
        <translation>리비전 %1에 대해 기록된 스키마 스냅샷이 없습니다. 스크립트가 올바르게 준비되면 `check --baseline`으로 기록하세요.</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::ConnectionDialog</name>
    <message>
        <source>Connect to a Database</source>
        <translation>데이터베이스에 연결</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>추가</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>복제</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>이름 바꾸기</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>삭제</translation>
    </message>
    <message>
        <source>Saved connections</source>
        <translation>저장된 연결</translation>
    </message>
    <message>
        <source>unsaved connection</source>
        <translation>저장되지 않은 연결</translation>
    </message>
    <message>
        <source>libpq default (PGHOST or local socket)</source>
        <translation>libpq 기본값 (PGHOST 또는 로컬 소켓)</translation>
    </message>
    <message>
        <source>5432</source>
        <translation>5432</translation>
    </message>
    <message>
        <source>same as the user name</source>
        <translation>사용자 이름과 같음</translation>
    </message>
    <message>
        <source>libpq default (PGUSER or your login)</source>
        <translation>libpq 기본값 (PGUSER 또는 로그인 사용자)</translation>
    </message>
    <message>
        <source>from the keychain, PGPASSWORD or ~/.pgpass</source>
        <translation>키체인, PGPASSWORD 또는 ~/.pgpass에서 가져옴</translation>
    </message>
    <message>
        <source>Remember password in the system keychain</source>
        <translation>시스템 키체인에 비밀번호 저장</translation>
    </message>
    <message>
        <source>libpq default (prefer)</source>
        <translation>libpq 기본값 (prefer)</translation>
    </message>
    <message>
        <source>CA certificate file for verify-ca / verify-full</source>
        <translation>verify-ca / verify-full용 CA 인증서 파일</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>찾아보기…</translation>
    </message>
    <message>
        <source>Option</source>
        <translation>옵션</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>값</translation>
    </message>
    <message>
        <source>Further libpq options, e.g. connect_timeout or application_name. Supported: %1</source>
        <translation>connect_timeout이나 application_name 같은 추가 libpq 옵션. 지원되는 옵션: %1</translation>
    </message>
    <message>
        <source>Add option</source>
        <translation>옵션 추가</translation>
    </message>
    <message>
        <source>Remove option</source>
        <translation>옵션 제거</translation>
    </message>
    <message>
        <source>Profile name:</source>
        <translation>프로필 이름:</translation>
    </message>
    <message>
        <source>Host:</source>
        <translation>호스트:</translation>
    </message>
    <message>
        <source>Port:</source>
        <translation>포트:</translation>
    </message>
    <message>
        <source>Database:</source>
        <translation>데이터베이스:</translation>
    </message>
    <message>
        <source>User:</source>
        <translation>사용자:</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>비밀번호:</translation>
    </message>
    <message>
        <source>SSL mode:</source>
        <translation>SSL 모드:</translation>
    </message>
    <message>
        <source>Root certificate:</source>
        <translation>루트 인증서:</translation>
    </message>
    <message>
        <source>Options:</source>
        <translation>옵션:</translation>
    </message>
    <message>
        <source>Save Profile</source>
        <translation>프로필 저장</translation>
    </message>
    <message>
        <source>Test Connection</source>
        <translation>연결 테스트</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>연결</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>Profile &quot;%1&quot; saved.</source>
        <translation>&quot;%1&quot; 프로필을 저장했습니다.</translation>
    </message>
    <message>
        <source>Reading the password from the system keychain…</source>
        <translation>시스템 키체인에서 비밀번호를 읽는 중…</translation>
    </message>
    <message>
        <source>The port must be a number between 1 and 65535.</source>
        <translation>포트는 1에서 65535 사이의 숫자여야 합니다.</translation>
    </message>
    <message>
        <source>Option row %1 has a value but no option name.</source>
        <translation>옵션 %1행에 값은 있지만 옵션 이름이 없습니다.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a libpq option MigrationDesk accepts. Supported options: %2.</source>
        <translation>&quot;%1&quot; 옵션은 MigrationDesk가 허용하는 libpq 옵션이 아닙니다. 지원되는 옵션: %2.</translation>
    </message>
    <message>
        <source>Passwords do not belong in the options: use the password field.</source>
        <translation>비밀번호는 옵션에 넣지 마세요. 비밀번호 칸을 사용하세요.</translation>
    </message>
    <message>
        <source>Set %1 with its own field above, not as an option.</source>
        <translation>%1 설정은 옵션이 아니라 위의 전용 칸에서 설정하세요.</translation>
    </message>
    <message>
        <source>The value of %1 cannot contain &apos;;&apos;.</source>
        <translation>%1의 값에는 &apos;;&apos;을 넣을 수 없습니다.</translation>
    </message>
    <message>
        <source>The option %1 is given twice.</source>
        <translation>%1 옵션이 두 번 지정되었습니다.</translation>
    </message>
    <message>
        <source>Give the profile a name to save it.</source>
        <translation>프로필을 저장하려면 이름을 입력하세요.</translation>
    </message>
    <message>
        <source>A profile named &quot;%1&quot; already exists.</source>
        <translation>이름이 &quot;%1&quot;인 프로필이 이미 있습니다.</translation>
    </message>
    <message>
        <source>A profile needs a name.</source>
        <translation>프로필에는 이름이 필요합니다.</translation>
    </message>
    <message>
        <source>The profile &quot;%1&quot; no longer exists.</source>
        <translation>&quot;%1&quot; 프로필이 더 이상 없습니다.</translation>
    </message>
    <message>
        <source>New connection</source>
        <translation>새 연결</translation>
    </message>
    <message>
        <source>%1 (copy)</source>
        <translation>%1 (사본)</translation>
    </message>
    <message>
        <source>Profile &quot;%1&quot; deleted.</source>
        <translation>&quot;%1&quot; 프로필을 삭제했습니다.</translation>
    </message>
    <message>
        <source>Profile renamed to &quot;%1&quot;.</source>
        <translation>프로필 이름을 바꿨습니다: &quot;%1&quot;.</translation>
    </message>
    <message>
        <source>Root Certificate</source>
        <translation>루트 인증서</translation>
    </message>
    <message>
        <source>Certificates (*.crt *.pem *.cer);;All files (*)</source>
        <translation>인증서 (*.crt *.pem *.cer);;모든 파일 (*)</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>%1에 연결하는 중…</translation>
    </message>
    <message>
        <source>Testing the connection to %1…</source>
        <translation>%1 연결을 테스트하는 중…</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>취소했습니다.</translation>
    </message>
    <message>
        <source>The system keychain has no password for this profile; enter it to connect.</source>
        <translation>시스템 키체인에 이 프로필의 비밀번호가 없습니다. 연결하려면 비밀번호를 입력하세요.</translation>
    </message>
    <message>
        <source>The password could not be stored: %1</source>
        <translation>비밀번호를 저장할 수 없습니다: %1</translation>
    </message>
    <message>
        <source>Local Sandbox</source>
        <translation>로컬 샌드박스</translation>
    </message>
    <message>
        <source>Start a private PostgreSQL with the bundled schema and demo data, and connect to it</source>
        <translation>기본 스키마와 데모 데이터가 들어 있는 전용 PostgreSQL을 시작하고 연결합니다</translation>
    </message>
    <message>
        <source>Filled in from the pasted URL, its password included.</source>
        <translation>붙여 넣은 URL에서 비밀번호까지 채웠습니다.</translation>
    </message>
    <message>
        <source>Filled in from the pasted URL.</source>
        <translation>붙여 넣은 URL에서 값을 채웠습니다.</translation>
    </message>
    <message>
        <source>The pasted URL was not used: %1</source>
        <translation>붙여 넣은 URL을 사용하지 않았습니다: %1</translation>
    </message>
    <message>
        <source>for servers that ask for a client certificate</source>
        <translation>클라이언트 인증서를 요구하는 서버용</translation>
    </message>
    <message>
        <source>the client certificate&apos;s private key</source>
        <translation>클라이언트 인증서의 개인 키</translation>
    </message>
    <message>
        <source>Client certificate:</source>
        <translation>클라이언트 인증서:</translation>
    </message>
    <message>
        <source>Client key:</source>
        <translation>클라이언트 키:</translation>
    </message>
    <message>
        <source>Client Certificate</source>
        <translation>클라이언트 인증서</translation>
    </message>
    <message>
        <source>Client Key</source>
        <translation>클라이언트 키</translation>
    </message>
    <message>
        <source>Keys (*.key *.pem);;All files (*)</source>
        <translation>키 (*.key *.pem);;모든 파일 (*)</translation>
    </message>
    <message>
        <source>Hide the password</source>
        <translation>비밀번호 숨기기</translation>
    </message>
    <message>
        <source>Show the password</source>
        <translation>비밀번호 표시</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::ConnectionProbe</name>
    <message>
        <source>Connected to %1 (PostgreSQL %2).</source>
        <translation>%1에 연결했습니다 (PostgreSQL %2).</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::CopyStream</name>
    <message>
        <source>Not connected to a database.</source>
        <translation>데이터베이스에 연결되어 있지 않습니다.</translation>
    </message>
    <message>
        <source>The server did not start the COPY.</source>
        <translation>서버가 COPY를 시작하지 않았습니다.</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>취소했습니다.</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::CsvExporter</name>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>%1에 쓸 수 없습니다: %2</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::DataGrid</name>
    <message>
        <source>Reveal Values</source>
        <translation>값 표시</translation>
    </message>
    <message>
        <source>Sort Ascending</source>
        <translation>오름차순 정렬</translation>
    </message>
    <message>
        <source>Sort Descending</source>
        <translation>내림차순 정렬</translation>
    </message>
    <message>
        <source>Mask Values</source>
        <translation>값 가리기</translation>
    </message>
    <message>
        <source>Reveal Values…</source>
        <translation>값 표시…</translation>
    </message>
    <message>
        <source>Copy refused: the column “%1” is masked. Reveal its values first, or select other columns.</source>
        <translation>복사할 수 없습니다: “%1” 열의 값이 가려져 있습니다. 먼저 값을 표시하거나 다른 열을 선택하세요.</translation>
    </message>
    <message>
        <source>The column &quot;%1&quot; looks sensitive (passwords, secrets, tokens or hashes). Show its values in this grid? The unmasking is recorded in the audit table.</source>
        <translation>&quot;%1&quot; 열에는 민감한 정보(비밀번호, 비밀 값, 토큰, 해시)가 있는 것으로 보입니다. 이 그리드에 값을 표시할까요? 가림 해제는 감사 테이블에 기록됩니다.</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::DatabaseWorker</name>
    <message>
        <source>Could not read the version table: %1</source>
        <translation>버전 테이블을 읽을 수 없습니다: %1</translation>
    </message>
    <message>
        <source>Not connected to a database.</source>
        <translation>데이터베이스에 연결되어 있지 않습니다.</translation>
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
        <translation>현지 시간(UTC%1)</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::DriftBaseline</name>
    <message>
        <source>A migration is running on this database; record the baseline once it has finished.</source>
        <translation>이 데이터베이스에서 마이그레이션이 실행 중입니다. 마이그레이션이 끝난 뒤 베이스라인을 기록하세요.</translation>
    </message>
    <message>
        <source>The version table is empty (base): there is no revision to record a baseline for.</source>
        <translation>버전 테이블이 비어 있습니다(base). 베이스라인을 기록할 리비전이 없습니다.</translation>
    </message>
    <message>
        <source>A schema snapshot is already recorded for %1, and check compares the schema with it. --baseline only records one for revisions applied outside MigrationDesk.</source>
        <translation>%1 리비전의 스키마 스냅샷이 이미 기록되어 있으며, check는 스키마를 이 스냅샷과 비교합니다. --baseline은 MigrationDesk 밖에서 적용된 리비전의 스냅샷만 기록합니다.</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::EmployeeDirectory</name>
    <message>
        <source>Not connected.</source>
        <translation>연결되어 있지 않습니다.</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::FilterBar</name>
    <message>
        <source>Filter:</source>
        <translation>필터:</translation>
    </message>
    <message>
        <source>and</source>
        <translation>~</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>적용</translation>
    </message>
    <message>
        <source>Show only the rows that match (Enter)</source>
        <translation>조건에 맞는 행만 표시 (Enter)</translation>
    </message>
    <message>
        <source>Clear Filters</source>
        <translation>필터 모두 지우기</translation>
    </message>
    <message>
        <source>is true</source>
        <translation>참(true)</translation>
    </message>
    <message>
        <source>is false</source>
        <translation>거짓(false)</translation>
    </message>
    <message>
        <source>between</source>
        <translation>범위</translation>
    </message>
    <message>
        <source>contains</source>
        <translation>포함</translation>
    </message>
    <message>
        <source>is null</source>
        <translation>NULL임</translation>
    </message>
    <message>
        <source>is not null</source>
        <translation>NULL 아님</translation>
    </message>
    <message>
        <source>e.g. 42</source>
        <translation>예: 42</translation>
    </message>
    <message>
        <source>e.g. 2024-01-31</source>
        <translation>예: 2024-01-31</translation>
    </message>
    <message>
        <source>e.g. 2024-01-31 09:30</source>
        <translation>예: 2024-01-31 09:30</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>값</translation>
    </message>
    <message>
        <source>%1 between %2 and %3</source>
        <translation>%1 범위 %2 ~ %3</translation>
    </message>
    <message>
        <source>Remove this filter</source>
        <translation>이 필터 제거</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::HistoryFilterBar</name>
    <message>
        <source>any day</source>
        <translation>모든 날짜</translation>
    </message>
    <message>
        <source>Revision</source>
        <translation>리비전</translation>
    </message>
    <message>
        <source>Runs of the revisions whose id starts with this</source>
        <translation>ID가 이 값으로 시작하는 리비전의 실행 기록</translation>
    </message>
    <message>
        <source>User</source>
        <translation>사용자</translation>
    </message>
    <message>
        <source>Runs by a database or OS user whose name contains this</source>
        <translation>이름에 이 값이 들어 있는 데이터베이스 사용자나 OS 사용자의 실행 기록</translation>
    </message>
    <message>
        <source>Any result</source>
        <translation>모든 결과</translation>
    </message>
    <message>
        <source>Succeeded</source>
        <translation>성공</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>실패</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>지우기</translation>
    </message>
    <message>
        <source>From</source>
        <translation>기간</translation>
    </message>
    <message>
        <source>to</source>
        <translation>~</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::HistoryModel</name>
    <message>
        <source>&lt; 1 ms</source>
        <translation>&lt; 1ms</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1ms</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1초</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1분 %2초</translation>
    </message>
    <message>
        <source>Upgrade</source>
        <translation>업그레이드</translation>
    </message>
    <message>
        <source>Downgrade</source>
        <translation>다운그레이드</translation>
    </message>
    <message>
        <source>Stamp</source>
        <translation>스탬프</translation>
    </message>
    <message>
        <source>Succeeded</source>
        <translation>성공</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>실패</translation>
    </message>
    <message numerus="yes">
        <source>%1 ms, %n statement(s)</source>
        <translation>
            <numerusform>%1ms, 문 %n개</numerusform>
        </translation>
    </message>
    <message>
        <source>When</source>
        <translation>시각</translation>
    </message>
    <message>
        <source>Revision</source>
        <translation>리비전</translation>
    </message>
    <message>
        <source>Direction</source>
        <translation>방향</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>결과</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>소요 시간</translation>
    </message>
    <message>
        <source>Database user</source>
        <translation>데이터베이스 사용자</translation>
    </message>
    <message>
        <source>OS user@host</source>
        <translation>OS 사용자@호스트</translation>
    </message>
    <message>
        <source>App version</source>
        <translation>앱 버전</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>오류</translation>
    </message>
    <message>
        <source>pg_dump -Fc written before this run: %1</source>
        <translation>이 실행 전에 pg_dump -Fc로 만든 백업: %1</translation>
    </message>
    <message>
        <source>Backup</source>
        <translation>백업</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::HistoryView</name>
    <message>
        <source>No runs recorded.</source>
        <translation>기록된 실행이 없습니다.</translation>
    </message>
    <message>
        <source>1 run recorded.</source>
        <translation>실행 1건이 기록되었습니다.</translation>
    </message>
    <message>
        <source>%1 runs recorded.</source>
        <translation>실행 %1건이 기록되었습니다.</translation>
    </message>
    <message>
        <source>1 run recorded, and it failed.</source>
        <translation>실행 1건이 기록되었으며 실패했습니다.</translation>
    </message>
    <message>
        <source>%1 runs recorded, %2 failed.</source>
        <translation>실행 %1건이 기록되었고 %2건이 실패했습니다.</translation>
    </message>
    <message>
        <source>Statements…</source>
        <translation>문 목록…</translation>
    </message>
    <message>
        <source>The statements the selected run ran, with their times and results (or double-click a run)</source>
        <translation>선택한 실행에서 실행한 문과 각 문의 소요 시간, 결과 (또는 실행 기록을 두 번 클릭)</translation>
    </message>
    <message>
        <source>Statements</source>
        <translation>문 목록</translation>
    </message>
    <message>
        <source>The statements of this run could not be read: %1</source>
        <translation>이 실행의 문 목록을 읽을 수 없습니다: %1</translation>
    </message>
    <message>
        <source>The history could not be read: %1</source>
        <translation>이력을 읽을 수 없습니다: %1</translation>
    </message>
    <message>
        <source>The newest %1 runs that match the filter.</source>
        <translation>필터에 맞는 최근 실행 %1건을 표시합니다.</translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) match the filter.</source>
        <translation>
            <numerusform>필터에 맞는 실행이 %n건입니다.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MigrationDesk::KeysetQuery</name>
    <message>
        <source>The column “%1” is masked: it cannot be sorted, filtered or searched. Reveal its values first (right-click its header).</source>
        <translation>“%1” 열의 값이 가려져 있어 정렬, 필터링, 검색을 할 수 없습니다. 먼저 값을 표시하세요(열 머리글을 마우스 오른쪽 버튼으로 클릭).</translation>
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
        <translation>연결…</translation>
    </message>
    <message>
        <source>Connect to a database</source>
        <translation>데이터베이스에 연결</translation>
    </message>
    <message>
        <source>Disconnect</source>
        <translation>연결 끊기</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>새로 고침</translation>
    </message>
    <message>
        <source>Read the database&apos;s revision and history again</source>
        <translation>데이터베이스의 리비전과 이력을 다시 읽습니다</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>종료</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>기본</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>파일(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>보기(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Migrations</source>
        <translation>마이그레이션(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>언어(&amp;L)</translation>
    </message>
    <message>
        <source>System</source>
        <translation>시스템 설정</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>언어</translation>
    </message>
    <message>
        <source>Drift</source>
        <translation>드리프트</translation>
    </message>
    <message>
        <source>The last check found differences between the database and its scripts; the Migrations view lists them.</source>
        <translation>마지막 검사에서 데이터베이스와 스크립트 사이의 차이(스키마 불일치)를 발견했습니다. 마이그레이션 보기에서 목록을 확인하세요.</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>%1에 연결하는 중…</translation>
    </message>
    <message>
        <source>Unknown profile</source>
        <translation>알 수 없는 프로필</translation>
    </message>
    <message>
        <source>There is no saved connection profile named &quot;%1&quot;.</source>
        <translation>이름이 &quot;%1&quot;인 저장된 연결 프로필이 없습니다.</translation>
    </message>
    <message>
        <source>Reading the password of %1 from the keychain…</source>
        <translation>키체인에서 %1의 비밀번호를 읽는 중…</translation>
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
        <translation>서버 버전 %1</translation>
    </message>
    <message>
        <source>read-only</source>
        <translation>읽기 전용</translation>
    </message>
    <message>
        <source>The session is read-only (default_transaction_read_only or a standby server).</source>
        <translation>세션이 읽기 전용입니다(default_transaction_read_only 또는 대기 서버).</translation>
    </message>
    <message>
        <source>read-write</source>
        <translation>읽기/쓰기</translation>
    </message>
    <message>
        <source>This role may not create objects in the database.</source>
        <translation>이 역할은 데이터베이스에 객체를 만들 수 없습니다.</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>연결되지 않음</translation>
    </message>
    <message>
        <source>Could not connect</source>
        <translation>연결할 수 없음</translation>
    </message>
    <message>
        <source>Could not connect.</source>
        <translation>연결할 수 없습니다.</translation>
    </message>
    <message>
        <source>Could not connect to %1.</source>
        <translation>%1에 연결할 수 없습니다.</translation>
    </message>
    <message>
        <source>The migration scripts in %1 have errors</source>
        <translation>%1의 마이그레이션 스크립트에 오류가 있습니다</translation>
    </message>
    <message>
        <source>Working…</source>
        <translation>작업 중…</translation>
    </message>
    <message>
        <source>Revision: none</source>
        <translation>리비전: 없음</translation>
    </message>
    <message>
        <source>%1 (head)</source>
        <translation>%1 (head)</translation>
    </message>
    <message>
        <source>%1 (not in the scripts)</source>
        <translation>%1 (스크립트 없음)</translation>
    </message>
    <message>
        <source>Revision: %1</source>
        <translation>리비전: %1</translation>
    </message>
    <message>
        <source>Revisions: %1</source>
        <translation>리비전: %1</translation>
    </message>
    <message>
        <source>Could not look up table %1: %2</source>
        <translation>%1 테이블을 조회할 수 없습니다: %2</translation>
    </message>
    <message>
        <source>Local Sandbox</source>
        <translation>로컬 샌드박스</translation>
    </message>
    <message>
        <source>Start a private PostgreSQL with the bundled schema and demo data, and connect to it</source>
        <translation>기본 스키마와 데모 데이터가 들어 있는 전용 PostgreSQL을 시작하고 연결합니다</translation>
    </message>
    <message>
        <source>Keep the Sandbox Running After Exit</source>
        <translation>종료 후에도 샌드박스 계속 실행</translation>
    </message>
    <message>
        <source>The language can be changed once the running migration has finished.</source>
        <translation>실행 중인 마이그레이션이 끝난 뒤에 언어를 바꿀 수 있습니다.</translation>
    </message>
    <message>
        <source>%1 · PostgreSQL %2 · TLS not verified</source>
        <translation>%1 · PostgreSQL %2 · TLS 검증 안 됨</translation>
    </message>
    <message>
        <source>Connected to %1</source>
        <translation>%1에 연결됨</translation>
    </message>
    <message>
        <source>Profile: %1</source>
        <translation>프로필: %1</translation>
    </message>
    <message>
        <source>RTT %1 ms</source>
        <translation>RTT %1ms</translation>
    </message>
    <message>
        <source>Round-trip time to the database server: how long one empty statement took on the main connection. Measured when connecting and every %1 seconds while idle; each query the window waits for costs at least this much.</source>
        <translation>데이터베이스 서버까지의 왕복 시간: 주 연결에서 빈 문 하나가 걸린 시간입니다. 연결할 때와 유휴 상태에서 %1초마다 잽니다. 창이 기다리는 쿼리는 모두 적어도 이만큼 걸립니다.</translation>
    </message>
    <message>
        <source>RTT &lt; 1 ms</source>
        <translation>RTT 1ms 미만</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::MigrationRunner</name>
    <message>
        <source>Could not take the migration lock: %1</source>
        <translation>마이그레이션 잠금을 얻을 수 없습니다: %1</translation>
    </message>
    <message>
        <source>Cancelled while waiting for the migration lock.</source>
        <translation>마이그레이션 잠금을 기다리는 중에 취소했습니다.</translation>
    </message>
    <message>
        <source>another session</source>
        <translation>다른 세션</translation>
    </message>
    <message>
        <source>pid %1, user %2, application %3, from %4, connected since %5</source>
        <translation>pid %1, 사용자 %2, 애플리케이션 %3, 접속 위치 %4, 접속 시각 %5</translation>
    </message>
    <message>
        <source>Another migration holds the lock on this database (%1); waiting for it to finish.</source>
        <translation>다른 마이그레이션이 이 데이터베이스의 잠금을 갖고 있습니다(%1). 끝나기를 기다리는 중입니다.</translation>
    </message>
    <message>
        <source>Waiting for the server to end the session of an interrupted run (%1).</source>
        <translation>중단된 실행의 세션을 서버가 끝내기를 기다리는 중입니다(%1).</translation>
    </message>
    <message>
        <source>The migration scripts are invalid; nothing was run:
%1</source>
        <translation>마이그레이션 스크립트가 올바르지 않아 아무것도 실행하지 않았습니다:
%1</translation>
    </message>
    <message>
        <source>Could not create the bookkeeping schema %1: %2</source>
        <translation>%1 관리용 스키마를 만들 수 없습니다: %2</translation>
    </message>
    <message>
        <source>Could not read the version table %1: %2</source>
        <translation>%1 버전 테이블을 읽을 수 없습니다: %2</translation>
    </message>
    <message>
        <source>Can&apos;t locate revision identified by &apos;%1&apos;: the database is at a revision that is missing from the scripts in %2.</source>
        <translation>식별자가 &apos;%1&apos;인 리비전을 찾을 수 없습니다: 데이터베이스의 리비전이 %2의 스크립트에 없습니다.</translation>
    </message>
    <message>
        <source>Stamp failed, nothing was changed: %1</source>
        <translation>스탬프에 실패해 아무것도 바꾸지 않았습니다: %1</translation>
    </message>
    <message>
        <source>--single-transaction cannot run revision %1: it is non-transactional (for example CREATE INDEX CONCURRENTLY). Run without --single-transaction.</source>
        <translation>--single-transaction으로는 %1 리비전을 실행할 수 없습니다. 이 리비전은 트랜잭션 밖에서 실행됩니다(예: CREATE INDEX CONCURRENTLY). --single-transaction 없이 실행하세요.</translation>
    </message>
    <message>
        <source>Nothing to do: the database is already at the target.</source>
        <translation>할 일이 없습니다: 데이터베이스가 이미 대상 리비전에 있습니다.</translation>
    </message>
    <message>
        <source>Backing up the database to %1 with pg_dump -Fc...</source>
        <translation>pg_dump -Fc로 데이터베이스를 %1에 백업하는 중...</translation>
    </message>
    <message>
        <source>The backup failed, so nothing was migrated: %1</source>
        <translation>백업에 실패해 마이그레이션하지 않았습니다: %1</translation>
    </message>
    <message>
        <source>Backup written to %1.</source>
        <translation>백업을 %1에 저장했습니다.</translation>
    </message>
    <message>
        <source>Invalid lock timeout &apos;%1&apos;: %2</source>
        <translation>잘못된 잠금 타임아웃 &apos;%1&apos;: %2</translation>
    </message>
    <message>
        <source>The final COMMIT failed, so nothing was applied: %1</source>
        <translation>마지막 COMMIT이 실패해 아무것도 적용되지 않았습니다: %1</translation>
    </message>
    <message>
        <source>Revision %1 (%2) failed during %3, statement %4 at %5:%6:
%7</source>
        <translation>%1 리비전(%2)이 %3 중 %5:%6의 문 %4에서 실패했습니다:
%7</translation>
    </message>
    <message>
        <source>The statement could not get a lock within lock_timeout (%1); retry when the table is less busy, or raise --lock-timeout.</source>
        <translation>문이 lock_timeout(%1) 안에 잠금을 얻지 못했습니다. 테이블 사용이 줄었을 때 다시 시도하거나 --lock-timeout을 늘리세요.</translation>
    </message>
    <message>
        <source>Running %1 %2: %3</source>
        <translation>%1 %2 실행 중: %3</translation>
    </message>
    <message>
        <source>cancelled by the user</source>
        <translation>사용자가 취소함</translation>
    </message>
    <message>
        <source>Revision %1 failed while recording it: %2</source>
        <translation>%1 리비전을 기록하는 중에 실패했습니다: %2</translation>
    </message>
    <message>
        <source>The whole run was rolled back; the database is unchanged.</source>
        <translation>이번 실행 전체를 롤백했습니다. 데이터베이스는 바뀌지 않았습니다.</translation>
    </message>
    <message numerus="yes">
        <source>Revision %1 was rolled back; %n earlier revision(s) of this run stay applied.</source>
        <translation>
            <numerusform>%1 리비전을 롤백했습니다. 이번 실행에서 먼저 적용한 리비전 %n개는 적용된 상태로 남아 있습니다.</numerusform>
        </translation>
    </message>
    <message>
        <source>Index %1 already exists and is valid; skipping statement %2.</source>
        <translation>%1 인덱스가 이미 있고 유효하므로 %2 문을 건너뜁니다.</translation>
    </message>
    <message>
        <source>Revision %1 is non-transactional, so it could not be rolled back as a whole: %2 of its %3 statements had completed and stay in place.</source>
        <translation>%1 리비전은 트랜잭션 밖에서 실행되어 전체를 롤백할 수 없었습니다. 문 %3개 중 %2개가 완료되어 그대로 남아 있습니다.</translation>
    </message>
    <message>
        <source>The half-built invalid index(es) %1 were dropped.</source>
        <translation>만들다 만 유효하지 않은 %1 인덱스를 삭제했습니다.</translation>
    </message>
    <message>
        <source>The version table was not changed; the next run resumes at statement %1.</source>
        <translation>버전 테이블은 바뀌지 않았습니다. 다음 실행은 문 %1부터 이어서 진행합니다.</translation>
    </message>
    <message>
        <source>Dropped the invalid index %1 left by an interrupted CREATE INDEX CONCURRENTLY.</source>
        <translation>중단된 CREATE INDEX CONCURRENTLY가 남긴 유효하지 않은 %1 인덱스를 삭제했습니다.</translation>
    </message>
    <message>
        <source>Could not drop the invalid index %1: %2</source>
        <translation>유효하지 않은 %1 인덱스를 삭제할 수 없습니다: %2</translation>
    </message>
    <message>
        <source>Found an interrupted run of non-transactional revision %1 (%2, started %3): %4 of %5 statements had completed.</source>
        <translation>트랜잭션 밖에서 실행되는 리비전 %1의 중단된 실행을 발견했습니다(%2, 시작 %3). 문 %5개 중 %4개가 완료되었습니다.</translation>
    </message>
    <message>
        <source>Dropped the invalid index(es) it left behind: %1.</source>
        <translation>그 실행이 남긴 유효하지 않은 인덱스를 삭제했습니다: %1.</translation>
    </message>
    <message>
        <source>The script has changed since then.</source>
        <translation>그 뒤로 스크립트가 바뀌었습니다.</translation>
    </message>
    <message>
        <source>Resuming it at statement %1.</source>
        <translation>문 %1부터 이어서 실행합니다.</translation>
    </message>
    <message>
        <source>This run does not retry it; its completed statements were left in place.</source>
        <translation>이번 실행에서는 다시 시도하지 않습니다. 완료된 문은 그대로 남겨 두었습니다.</translation>
    </message>
    <message>
        <source>Warning: the schema snapshot could not be recorded, so `check` cannot detect drift until the next run: %1</source>
        <translation>경고: 스키마 스냅샷을 기록할 수 없어, 다음 실행 전까지 `check`로 드리프트를 찾을 수 없습니다: %1</translation>
    </message>
    <message>
        <source>Restarting it at statement 1, as asked.</source>
        <translation>요청대로 문 1부터 다시 실행합니다.</translation>
    </message>
    <message>
        <source>Revision %1 was interrupted after %2 of its statements had completed, and its script %3 has changed since then, so resuming it by position could skip or repeat statements; nothing was run. Make the script safe to run again from its first statement (for example with IF NOT EXISTS), then restart the revision from statement 1 (migrationdesk-cli: --restart-revision).</source>
        <translation>%1 리비전은 문 %2개가 완료된 뒤 중단되었고 그 뒤로 %3 스크립트가 바뀌었으므로, 위치 기준으로 이어서 실행하면 문을 건너뛰거나 반복할 수 있습니다. 아무것도 실행하지 않았습니다. 첫 번째 문부터 다시 실행해도 안전하도록 스크립트를 고친 뒤(예: IF NOT EXISTS 사용) 리비전을 문 1부터 다시 실행하세요(migrationdesk-cli: --restart-revision).</translation>
    </message>
    <message>
        <source>The script has changed since, so which statements those were cannot be told from it; no revision accounts for their work, so remove it by hand if it is unwanted.</source>
        <translation>그 뒤로 스크립트가 바뀌어 완료된 문이 어떤 것이었는지 스크립트로는 알 수 없습니다. 그 문들이 한 작업은 어느 리비전에도 속하지 않으므로, 필요 없으면 직접 제거하세요.</translation>
    </message>
    <message>
        <source>line %1: %2</source>
        <translation>%1행: %2</translation>
    </message>
    <message>
        <source>No revision accounts for their work, so remove it by hand if it is unwanted: %1.</source>
        <translation>그 문들이 한 작업은 어느 리비전에도 속하지 않으므로, 필요 없으면 직접 제거하세요: %1.</translation>
    </message>
    <message>
        <source>Connected through a connection pooler (PgBouncer or similar): the migration lock is held in a transaction, settings are made per transaction, and non-transactional revisions are refused.</source>
        <translation>연결 풀러(PgBouncer 등)를 거쳐 연결되었습니다. 마이그레이션 잠금은 트랜잭션 안에서 잡고, 설정은 트랜잭션마다 적용하며, 트랜잭션 밖에서 실행되는 리비전은 거부합니다.</translation>
    </message>
    <message>
        <source>The version table %1 holds revision %2 more than once (it has no primary key), so it cannot be updated one row at a time; nothing was run. Delete the extra rows so that each revision appears once, then run again.</source>
        <translation>버전 테이블 %1에 %2 리비전이 두 번 이상 들어 있어(기본 키가 없음) 한 행씩 갱신할 수 없습니다. 아무것도 실행하지 않았습니다. 각 리비전이 한 번만 나오도록 남는 행을 삭제한 뒤 다시 실행하세요.</translation>
    </message>
    <message>
        <source>Revision %1 is non-transactional (for example CREATE INDEX CONCURRENTLY), and this connection goes through a connection pooler (PgBouncer or similar), where each of its statements may run in another server session, without the migration lock or its settings. Nothing was run: connect directly to the PostgreSQL server to apply it.</source>
        <translation>%1 리비전은 트랜잭션 밖에서 실행되는데(예: CREATE INDEX CONCURRENTLY), 이 연결은 연결 풀러(PgBouncer 등)를 거칩니다. 풀러를 거치면 리비전의 각 문이 마이그레이션 잠금도 설정도 없는 다른 서버 세션에서 실행될 수 있습니다. 아무것도 실행하지 않았습니다. 이 리비전을 적용하려면 PostgreSQL 서버에 직접 연결하세요.</translation>
    </message>
    <message>
        <source>The schema snapshot was not updated, because the database holds work of a revision that is not recorded (see above); `check` reports it as drift until the next successful run records a new snapshot.</source>
        <translation>데이터베이스에 기록되지 않은 리비전의 작업이 남아 있어(위 참조) 스키마 스냅샷을 갱신하지 않았습니다. 다음 실행이 성공해 새 스냅샷을 기록할 때까지 `check`는 이를 드리프트로 보고합니다.</translation>
    </message>
    <message>
        <source>the script changed the version table %1 (dropped, renamed, truncated, altered or wrote to it); only the runner may change it</source>
        <translation>스크립트가 %1 버전 테이블을 변경했습니다(DROP, 이름 변경, TRUNCATE, ALTER 또는 쓰기). 버전 테이블은 러너만 변경할 수 있습니다</translation>
    </message>
    <message>
        <source>Revision %1 was not started, because its progress could not be recorded: %2
Nothing was changed.</source>
        <translation>진행 상황을 기록할 수 없어 %1 리비전을 시작하지 않았습니다: %2
아무것도 바꾸지 않았습니다.</translation>
    </message>
    <message>
        <source>the statement opened a transaction, which a non-transactional revision must not; it was rolled back</source>
        <translation>이 문이 트랜잭션을 열었습니다. 트랜잭션 밖에서 실행되는 리비전에서는 허용되지 않으므로 롤백했습니다</translation>
    </message>
    <message>
        <source>Revision %1 is non-transactional: %2 of its %3 statements had completed and stay in place; the next run resumes after them.</source>
        <translation>%1 리비전은 트랜잭션 밖에서 실행됩니다. 문 %3개 중 %2개가 완료되어 그대로 남아 있으며, 다음 실행은 그 뒤부터 이어서 진행합니다.</translation>
    </message>
    <message>
        <source>Statement %1 of revision %2 (%3:%4) ended the transaction the runner had opened for it, so the run stopped.</source>
        <translation>리비전 %2의 %1 문(%3:%4)이 러너가 그 문을 위해 연 트랜잭션을 끝냈으므로 실행을 중단했습니다.</translation>
    </message>
    <message>
        <source>A statement of revision %1 (%2) ended the transaction the runner had opened for it and began another, so the run stopped.</source>
        <translation>리비전 %1 (%2)의 한 문이 러너가 그 문을 위해 연 트랜잭션을 끝내고 새 트랜잭션을 시작했으므로 실행을 중단했습니다.</translation>
    </message>
    <message>
        <source>It rolled back the whole run: the database is unchanged.</source>
        <translation>그 문이 이번 실행 전체를 롤백했습니다. 데이터베이스는 바뀌지 않았습니다.</translation>
    </message>
    <message numerus="yes">
        <source>It rolled back the statements of revision %1 before it; %n earlier revision(s) of this run stay applied.</source>
        <translation>
            <numerusform>그 문이 리비전 %1에서 자기보다 앞선 문들을 롤백했습니다. 이번 실행에서 먼저 적용한 리비전 %n개는 적용된 상태로 남아 있습니다.</numerusform>
        </translation>
    </message>
    <message>
        <source>Undo them by hand (or make the script safe to run again) before the next run.</source>
        <translation>다음 실행 전에 그 작업을 직접 되돌리세요(또는 다시 실행해도 안전하도록 스크립트를 고치세요).</translation>
    </message>
    <message numerus="yes">
        <source>It committed everything before it: the %n earlier revision(s) of this run are applied and recorded, and the statements of revision %1 before it stay in place, but revision %1 is not recorded in the version table.</source>
        <translation>
            <numerusform>그 문이 자기보다 앞선 작업을 모두 커밋했습니다. 이번 실행에서 먼저 실행한 리비전 %n개는 적용되고 기록되었으며 리비전 %1에서 그 문보다 앞선 문들도 그대로 남아 있지만, %1 리비전은 버전 테이블에 기록되지 않았습니다.</numerusform>
        </translation>
    </message>
    <message>
        <source>It committed the statements of revision %1 before it, which stay in place, but revision %1 is not recorded in the version table.</source>
        <translation>그 문이 리비전 %1에서 자기보다 앞선 문들을 커밋해 그 작업은 그대로 남아 있지만, %1 리비전은 버전 테이블에 기록되지 않았습니다.</translation>
    </message>
    <message>
        <source>Whether the work before it was committed is unknown; revision %1 is not recorded in the version table. Check the database by hand before the next run.</source>
        <translation>그 문보다 앞선 작업이 커밋되었는지 알 수 없습니다. %1 리비전은 버전 테이블에 기록되지 않았습니다. 다음 실행 전에 데이터베이스를 직접 확인하세요.</translation>
    </message>
    <message>
        <source>The connection to the server was lost during statement %1 of revision %2: %3</source>
        <translation>리비전 %2의 %1 문을 실행하는 중에 서버 연결이 끊어졌습니다: %3</translation>
    </message>
    <message>
        <source>The connection to the server was lost during revision %1: %2</source>
        <translation>%1 리비전을 실행하는 중에 서버 연결이 끊어졌습니다: %2</translation>
    </message>
    <message>
        <source>It was lost while the revision was being recorded, so whether revision %1 was committed is unknown: run `current` to see.</source>
        <translation>리비전을 기록하는 중에 연결이 끊어져 %1 리비전이 커밋되었는지 알 수 없습니다. `current`를 실행해 확인하세요.</translation>
    </message>
    <message>
        <source>The server rolls back the transaction of a lost session, so nothing of this run is applied.</source>
        <translation>서버는 끊어진 세션의 트랜잭션을 롤백하므로, 이번 실행의 작업은 하나도 적용되지 않았습니다.</translation>
    </message>
    <message numerus="yes">
        <source>The server rolls back the transaction of a lost session, so revision %1 is not applied; %n earlier revision(s) of this run stay applied.</source>
        <translation>
            <numerusform>서버는 끊어진 세션의 트랜잭션을 롤백하므로 %1 리비전은 적용되지 않았습니다. 이번 실행에서 먼저 적용한 리비전 %n개는 적용된 상태로 남아 있습니다.</numerusform>
        </translation>
    </message>
    <message>
        <source>pid %1 (application &apos;%2&apos;, user %3)</source>
        <translation>pid %1 (애플리케이션 &apos;%2&apos;, 사용자 %3)</translation>
    </message>
    <message>
        <source>pid %1, user %2, application &apos;%3&apos;, from %4, %5 for %6 s: %7</source>
        <translation>pid %1, 사용자 %2, 애플리케이션 &apos;%3&apos;, 접속 위치 %4, %6초째 %5: %7</translation>
    </message>
    <message>
        <source>Waiting for a lock held by:</source>
        <translation>다음 세션이 보유한 잠금을 기다리는 중입니다:</translation>
    </message>
    <message>
        <source>Invalid statement timeout &apos;%1&apos;: %2</source>
        <translation>잘못된 문 타임아웃 &apos;%1&apos;: %2</translation>
    </message>
    <message>
        <source>Try %1 of %2 ended at lock_timeout; trying again in %3 s.</source>
        <translation>%2회 중 %1번째 시도가 lock_timeout으로 끝났습니다. %3초 뒤에 다시 시도합니다.</translation>
    </message>
    <message>
        <source>Cancelled while waiting to try again after a lock timeout.</source>
        <translation>잠금 타임아웃 뒤 재시도를 기다리는 중에 취소했습니다.</translation>
    </message>
    <message>
        <source>The lock was held by %1.</source>
        <translation>잠금 보유자: %1.</translation>
    </message>
    <message>
        <source>The statement ran longer than --statement-timeout (%1), so the server stopped it.</source>
        <translation>문이 --statement-timeout(%1)보다 오래 실행되어 서버가 중단했습니다.</translation>
    </message>
    <message>
        <source>Try %1 of %2 ended at lock_timeout; it is tried again.</source>
        <translation>%2회 중 %1번째 시도가 lock_timeout으로 끝났습니다. 다시 시도합니다.</translation>
    </message>
    <message>
        <source>Try %1 of %2 ended at lock_timeout; no tries are left.</source>
        <translation>%2회 중 %1번째 시도가 lock_timeout으로 끝났습니다. 남은 시도가 없습니다.</translation>
    </message>
    <message>
        <source>The server did not report the transaction&apos;s id.</source>
        <translation>서버가 트랜잭션 ID를 알려 주지 않았습니다.</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::MigrationsView</name>
    <message>
        <source>⚠ script changed after it was applied</source>
        <translation>⚠ 적용된 뒤 스크립트가 바뀜</translation>
    </message>
    <message>
        <source>Migrations</source>
        <translation>마이그레이션</translation>
    </message>
    <message>
        <source>Select a revision to see its SQL and its runs.</source>
        <translation>리비전을 선택하면 SQL과 실행 기록을 볼 수 있습니다.</translation>
    </message>
    <message>
        <source>Upgrade SQL</source>
        <translation>업그레이드 SQL</translation>
    </message>
    <message>
        <source>Downgrade SQL</source>
        <translation>다운그레이드 SQL</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>실행 기록</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>타임라인</translation>
    </message>
    <message>
        <source>History</source>
        <translation>이력</translation>
    </message>
    <message>
        <source>Upgrade to here</source>
        <translation>여기까지 업그레이드</translation>
    </message>
    <message>
        <source>Apply every pending revision up to the selected one</source>
        <translation>선택한 리비전까지 대기 중인 리비전을 모두 적용합니다</translation>
    </message>
    <message>
        <source>Downgrade to here</source>
        <translation>여기까지 다운그레이드</translation>
    </message>
    <message>
        <source>Undo every applied revision above the selected one</source>
        <translation>선택한 리비전 위에 적용된 리비전을 모두 되돌립니다</translation>
    </message>
    <message>
        <source>Upgrade to head</source>
        <translation>head까지 업그레이드</translation>
    </message>
    <message>
        <source>Apply every pending revision (alembic upgrade heads)</source>
        <translation>대기 중인 리비전을 모두 적용합니다 (alembic upgrade heads)</translation>
    </message>
    <message>
        <source>Downgrade one step</source>
        <translation>한 단계 다운그레이드</translation>
    </message>
    <message>
        <source>Undo the most recent revision (alembic downgrade -1)</source>
        <translation>가장 최근 리비전을 되돌립니다 (alembic downgrade -1)</translation>
    </message>
    <message>
        <source>Stamp…</source>
        <translation>스탬프…</translation>
    </message>
    <message>
        <source>Set the version table to a revision without running any SQL</source>
        <translation>SQL을 실행하지 않고 버전 테이블을 특정 리비전으로 설정합니다</translation>
    </message>
    <message>
        <source>Check for drift</source>
        <translation>드리프트 검사</translation>
    </message>
    <message>
        <source>Compare the live schema with the one recorded after the last run, and the scripts with the ones that were applied</source>
        <translation>현재 스키마를 마지막 실행 뒤에 기록한 스키마와, 스크립트를 적용 당시의 스크립트와 비교합니다</translation>
    </message>
    <message>
        <source>Connect to a database to see its migration history.</source>
        <translation>마이그레이션 이력을 보려면 데이터베이스에 연결하세요.</translation>
    </message>
    <message>
        <source>No runs recorded in this database yet.</source>
        <translation>이 데이터베이스에는 아직 기록된 실행이 없습니다.</translation>
    </message>
    <message>
        <source>This session is read-only (a hot standby or default_transaction_read_only): migrations are disabled.</source>
        <translation>이 세션은 읽기 전용입니다(핫 스탠바이 또는 default_transaction_read_only). 마이그레이션을 사용할 수 없습니다.</translation>
    </message>
    <message>
        <source>This role may not create objects in the database: migrations are disabled.</source>
        <translation>이 역할은 데이터베이스에 객체를 만들 수 없습니다. 마이그레이션을 사용할 수 없습니다.</translation>
    </message>
    <message>
        <source>The migration scripts are invalid, so nothing can run:
%1</source>
        <translation>마이그레이션 스크립트가 올바르지 않아 아무것도 실행할 수 없습니다:
%1</translation>
    </message>
    <message>
        <source>Not connected: the timeline shows the scripts only.</source>
        <translation>연결되지 않음: 타임라인에는 스크립트만 표시됩니다.</translation>
    </message>
    <message>
        <source>-- No script for revision %1: the database records it, but the migrations folder does not have it.</source>
        <translation>-- 리비전 %1의 스크립트가 없습니다. 데이터베이스에는 기록되어 있지만 마이그레이션 폴더에 없습니다.</translation>
    </message>
    <message>
        <source>Migration failed</source>
        <translation>마이그레이션 실패</translation>
    </message>
    <message>
        <source>The migration did not run.</source>
        <translation>마이그레이션이 실행되지 않았습니다.</translation>
    </message>
    <message>
        <source>The migration failed at revision %1.</source>
        <translation>리비전 %1에서 마이그레이션이 실패했습니다.</translation>
    </message>
    <message>
        <source>Statement %1:
%2</source>
        <translation>문 %1:
%2</translation>
    </message>
    <message>
        <source>Stamp</source>
        <translation>스탬프</translation>
    </message>
    <message>
        <source>Record this revision in the version table without running any SQL (for a schema that was changed by hand or restored from a dump):</source>
        <translation>SQL을 실행하지 않고 이 리비전을 버전 테이블에 기록합니다(스키마를 직접 변경했거나 덤프에서 복원한 경우):</translation>
    </message>
    <message>
        <source>heads (every head revision)</source>
        <translation>heads (모든 헤드 리비전)</translation>
    </message>
    <message>
        <source>base (empty the version table)</source>
        <translation>base (버전 테이블 비우기)</translation>
    </message>
    <message>
        <source>Continue…</source>
        <translation>계속…</translation>
    </message>
    <message>
        <source>The drift check could not run:
%1</source>
        <translation>드리프트 검사를 실행할 수 없습니다:
%1</translation>
    </message>
    <message>
        <source>No drift: the schema matches the snapshot recorded after the last run, and every applied script is unchanged.</source>
        <translation>드리프트 없음: 스키마가 마지막 실행 뒤에 기록한 스냅샷과 같고, 적용된 스크립트도 모두 그대로입니다.</translation>
    </message>
    <message>
        <source>The schema differs from the one recorded after the last run:</source>
        <translation>스키마가 마지막 실행 뒤에 기록한 것과 다릅니다:</translation>
    </message>
    <message>
        <source>Scripts edited after they were applied:</source>
        <translation>적용된 뒤 수정된 스크립트:</translation>
    </message>
    <message>
        <source>No schema snapshot is recorded yet; it is taken after the first run.</source>
        <translation>아직 스키마 스냅샷이 기록되지 않았습니다. 첫 실행 뒤에 기록됩니다.</translation>
    </message>
    <message>
        <source>Drift found</source>
        <translation>드리프트 발견</translation>
    </message>
    <message>
        <source>Drift check</source>
        <translation>드리프트 검사</translation>
    </message>
    <message>
        <source>⚠ The check failed.</source>
        <translation>⚠ 검사에 실패했습니다.</translation>
    </message>
    <message>
        <source>⚠ The database has drifted from its migrations.</source>
        <translation>⚠ 데이터베이스가 마이그레이션과 어긋났습니다(드리프트).</translation>
    </message>
    <message>
        <source>✓ No drift found.</source>
        <translation>✓ 드리프트가 없습니다.</translation>
    </message>
    <message>
        <source>Record baseline</source>
        <translation>베이스라인 기록</translation>
    </message>
    <message>
        <source>Record the current schema as the snapshot for %1, so that later checks compare with it. Nothing else changes.</source>
        <translation>현재 스키마를 %1 리비전의 스냅샷으로 기록해, 이후 검사에서 이 스냅샷과 비교하게 합니다. 다른 것은 바뀌지 않습니다.</translation>
    </message>
    <message>
        <source>ⓘ No schema snapshot to compare with.</source>
        <translation>ⓘ 비교할 스키마 스냅샷이 없습니다.</translation>
    </message>
    <message>
        <source>The baseline was not recorded: %1</source>
        <translation>베이스라인을 기록하지 못했습니다: %1</translation>
    </message>
    <message>
        <source>Recorded the current schema as the snapshot for %1; later checks compare with it.</source>
        <translation>현재 스키마를 %1 리비전의 스냅샷으로 기록했습니다. 이후 검사는 이 스냅샷과 비교합니다.</translation>
    </message>
    <message>
        <source>No schema snapshot is recorded for revision %1: it was applied outside MigrationDesk (e.g. by Alembic), so schema drift cannot be checked.</source>
        <translation>리비전 %1에 대해 기록된 스키마 스냅샷이 없습니다. 이 리비전은 MigrationDesk 밖에서(예: Alembic으로) 적용되었으므로 스키마 드리프트를 검사할 수 없습니다.</translation>
    </message>
    <message>
        <source>No schema snapshot is recorded for revision %1, so schema drift cannot be checked.</source>
        <translation>리비전 %1에 대해 기록된 스키마 스냅샷이 없어 스키마 드리프트를 검사할 수 없습니다.</translation>
    </message>
    <message>
        <source>Record baseline saves the current schema as the snapshot for %1 (nothing else changes); later checks compare with it.</source>
        <translation>베이스라인 기록은 현재 스키마를 %1 리비전의 스냅샷으로 저장합니다(다른 것은 바뀌지 않습니다). 이후 검사는 이 스냅샷과 비교합니다.</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::PasswordStore</name>
    <message>
        <source>The system keychain holds no password for this connection.</source>
        <translation>시스템 키체인에 이 연결의 비밀번호가 없습니다.</translation>
    </message>
    <message>
        <source>No system keychain is available (%1), so passwords cannot be remembered. MigrationDesk will ask for the password in each session.</source>
        <translation>사용할 수 있는 시스템 키체인이 없어(%1) 비밀번호를 기억할 수 없습니다. MigrationDesk가 세션마다 비밀번호를 묻습니다.</translation>
    </message>
    <message>
        <source>Access to the system keychain was denied: %1</source>
        <translation>시스템 키체인 접근이 거부되었습니다: %1</translation>
    </message>
    <message>
        <source>The system keychain reported an error: %1</source>
        <translation>시스템 키체인에서 오류가 발생했습니다: %1</translation>
    </message>
    <message>
        <source>The system keychain did not answer within %1 seconds.</source>
        <translation>시스템 키체인이 %1초 안에 응답하지 않았습니다.</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::PlanDialog</name>
    <message>
        <source>base (empty)</source>
        <translation>base (비어 있음)</translation>
    </message>
    <message>
        <source>Upgrade to %1</source>
        <translation>%1까지 업그레이드</translation>
    </message>
    <message>
        <source>Downgrade one step</source>
        <translation>한 단계 다운그레이드</translation>
    </message>
    <message>
        <source>Downgrade to %1</source>
        <translation>%1까지 다운그레이드</translation>
    </message>
    <message>
        <source>Stamp %1</source>
        <translation>%1 스탬프</translation>
    </message>
    <message>
        <source>Confirm: %1</source>
        <translation>확인: %1</translation>
    </message>
    <message>
        <source>This cannot run:
%1</source>
        <translation>실행할 수 없습니다:
%1</translation>
    </message>
    <message>
        <source>Only the version table changes; no migration SQL runs.</source>
        <translation>버전 테이블만 바뀌고 마이그레이션 SQL은 실행되지 않습니다.</translation>
    </message>
    <message>
        <source>1 step, in its own transaction unless marked otherwise.</source>
        <translation>1단계. 따로 표시하지 않았으면 자체 트랜잭션에서 실행됩니다.</translation>
    </message>
    <message>
        <source>%1 steps, each in its own transaction unless marked otherwise.</source>
        <translation>%1단계. 따로 표시하지 않은 단계는 각각 자체 트랜잭션에서 실행됩니다.</translation>
    </message>
    <message>
        <source>Version table: %1  →  %2</source>
        <translation>버전 테이블: %1  →  %2</translation>
    </message>
    <message>
        <source>Step %1 (%2): %3</source>
        <translation>%1단계 (%2): %3</translation>
    </message>
    <message>
        <source>⚠ Read before running:</source>
        <translation>⚠ 실행 전에 읽어 보세요:</translation>
    </message>
    <message>
        <source>upgrade</source>
        <translation>업그레이드</translation>
    </message>
    <message>
        <source>downgrade</source>
        <translation>다운그레이드</translation>
    </message>
    <message>
        <source>    non-transactional: each statement commits on its own</source>
        <translation>    트랜잭션 밖에서 실행: 각 문이 따로 커밋됩니다</translation>
    </message>
    <message>
        <source>-- Step %1 of %2: %3 %4 (%5)</source>
        <translation>-- %2단계 중 %1단계: %3 %4 (%5)</translation>
    </message>
    <message>
        <source>-- Stamp: only the version table is rewritten.
-- Before: %1
-- After:  %2
</source>
        <translation>-- 스탬프: 버전 테이블만 다시 씁니다.
-- 이전: %1
-- 이후: %2
</translation>
    </message>
    <message>
        <source>-- Nothing to do: the database is already at the target.
</source>
        <translation>-- 할 일이 없습니다: 데이터베이스가 이미 대상 리비전에 있습니다.
</translation>
    </message>
    <message>
        <source>Back up first (pg_dump -Fc to):</source>
        <translation>먼저 백업 (pg_dump -Fc 대상):</translation>
    </message>
    <message>
        <source>backup file</source>
        <translation>백업 파일</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>선택…</translation>
    </message>
    <message>
        <source>Stamp</source>
        <translation>스탬프</translation>
    </message>
    <message>
        <source>Back up to</source>
        <translation>백업 위치</translation>
    </message>
    <message>
        <source>pg_dump custom format (*.dump);;All files (*)</source>
        <translation>pg_dump 사용자 지정 형식 (*.dump);;모든 파일 (*)</translation>
    </message>
    <message>
        <source>Run is disabled: step %1 (%2) cannot run as written (%3, line %4). %5</source>
        <translation>실행 불가: %1단계(%2)는 작성된 그대로는 실행할 수 없습니다(%3, %4행). %5</translation>
    </message>
    <message numerus="yes">
        <source>    ⚠ %n finding(s) below</source>
        <translation>
            <numerusform>    ⚠ 아래 발견 사항 %n개</numerusform>
        </translation>
    </message>
    <message>
        <source>I understand: a step above is marked danger (it locks, rewrites or drops a large live table).</source>
        <translation>이해했습니다: 위 단계 중 위험(danger)으로 표시된 단계가 있습니다(사용 중인 큰 테이블을 잠그거나, 다시 쓰거나, 삭제합니다).</translation>
    </message>
    <message>
        <source>Tick &quot;I understand&quot; first: a step is marked danger.</source>
        <translation>먼저 &quot;이해했습니다&quot;에 체크하세요: 위험(danger)으로 표시된 단계가 있습니다.</translation>
    </message>
    <message>
        <source>more than %1 rows</source>
        <translation>%1행 초과</translation>
    </message>
    <message>
        <source>≈ %1 rows</source>
        <translation>≈ %1행</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1(%2)</translation>
    </message>
    <message>
        <source>%1 lock</source>
        <translation>%1 잠금</translation>
    </message>
    <message>
        <source>allowed: %1</source>
        <translation>허용됨: %1</translation>
    </message>
    <message>
        <source>Upgrade to head</source>
        <translation>head까지 업그레이드</translation>
    </message>
    <message>
        <source>Stamp head</source>
        <translation>head 스탬프</translation>
    </message>
    <message>
        <source>Upgrade</source>
        <translation>업그레이드</translation>
    </message>
    <message>
        <source>Downgrade</source>
        <translation>다운그레이드</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::PlanReviewer</name>
    <message>
        <source>The migration scripts are invalid:
%1</source>
        <translation>마이그레이션 스크립트가 올바르지 않습니다:
%1</translation>
    </message>
    <message>
        <source>The comment allowing %1 gives no reason, so it allows nothing: write -- review: allow %1 &lt;why this is safe here&gt;.</source>
        <translation>%1 규칙을 허용하는 주석에 이유가 없어 아무것도 허용하지 않습니다. -- review: allow %1 &lt;여기서 안전한 이유&gt; 형식으로 쓰세요.</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::PurgeDialog</name>
    <message>
        <source>Delete Permanently</source>
        <translation>영구 삭제</translation>
    </message>
    <message>
        <source>(no name)</source>
        <translation>(이름 없음)</translation>
    </message>
    <message numerus="yes">
        <source>… and %n more</source>
        <translation>
            <numerusform>… 외 %n개</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n row(s) will be deleted permanently from %1. A permanent delete cannot be undone, not even with Undo; the audit table keeps a copy of their values.</source>
        <translation>
            <numerusform>%1에서 행 %n개를 영구 삭제합니다. 영구 삭제는 실행 취소로도 되돌릴 수 없습니다. 감사 테이블에는 삭제된 값의 사본이 남습니다.</numerusform>
        </translation>
    </message>
    <message>
        <source>Type the title “%1” to confirm:</source>
        <translation>확인하려면 제목(“%1”)을 입력하세요:</translation>
    </message>
    <message>
        <source>Type the number of rows, %1, to confirm:</source>
        <translation>확인하려면 행 수(%1)를 입력하세요:</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::ReviewRules</name>
    <message>
        <source>more than %1 rows</source>
        <translation>%1행 초과</translation>
    </message>
    <message>
        <source>≈ %1 rows</source>
        <translation>≈ %1행</translation>
    </message>
    <message>
        <source>size unknown</source>
        <translation>크기 알 수 없음</translation>
    </message>
    <message>
        <source>Uses the enum value &apos;%1&apos;, added on line %2 in the same transaction: PostgreSQL refuses a new enum value before its transaction commits. Add the value in a revision of its own (or a non-transactional one), then use it in the next.</source>
        <translation>%2행에서 같은 트랜잭션 안에 추가한 &apos;%1&apos; enum 값을 사용합니다. PostgreSQL은 새 enum 값을 그 트랜잭션이 커밋되기 전에는 사용할 수 없게 합니다. 값은 별도의 리비전(또는 트랜잭션 밖에서 실행되는 리비전)에서 추가하고, 그다음 리비전에서 사용하세요.</translation>
    </message>
    <message>
        <source>%1 cannot run inside a transaction block, and this revision is transactional: it would fail. Mark the revision non-transactional (-- transactional: false).</source>
        <translation>%1 문은 트랜잭션 블록 안에서 실행할 수 없는데, 이 리비전은 트랜잭션 안에서 실행되므로 실패합니다. 리비전을 트랜잭션 밖에서 실행되도록 표시하세요(-- transactional: false).</translation>
    </message>
    <message>
        <source>CREATE INDEX CONCURRENTLY</source>
        <translation>CREATE INDEX CONCURRENTLY</translation>
    </message>
    <message>
        <source>Builds an index on %1 (%2) without CONCURRENTLY: writes to the table wait until the build ends. Use CREATE INDEX CONCURRENTLY in a non-transactional revision.</source>
        <translation>CONCURRENTLY 없이 %1 테이블(%2)에 인덱스를 만듭니다. 인덱스를 다 만들 때까지 테이블에 대한 쓰기가 대기합니다. 트랜잭션 밖에서 실행되는 리비전에서 CREATE INDEX CONCURRENTLY를 사용하세요.</translation>
    </message>
    <message>
        <source>DROP INDEX CONCURRENTLY</source>
        <translation>DROP INDEX CONCURRENTLY</translation>
    </message>
    <message>
        <source>Drops index %1 without CONCURRENTLY: its table is locked against reads and writes meanwhile. Use DROP INDEX CONCURRENTLY in a non-transactional revision.</source>
        <translation>CONCURRENTLY 없이 %1 인덱스를 삭제합니다. 그동안 테이블의 읽기와 쓰기가 모두 잠깁니다. 트랜잭션 밖에서 실행되는 리비전에서 DROP INDEX CONCURRENTLY를 사용하세요.</translation>
    </message>
    <message>
        <source>Drops an index of %1 (%2) without CONCURRENTLY: the table is locked against reads and writes meanwhile. Use DROP INDEX CONCURRENTLY in a non-transactional revision.</source>
        <translation>CONCURRENTLY 없이 %1 테이블(%2)의 인덱스를 삭제합니다. 그동안 테이블의 읽기와 쓰기가 모두 잠깁니다. 트랜잭션 밖에서 실행되는 리비전에서 DROP INDEX CONCURRENTLY를 사용하세요.</translation>
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
        <translation>%1 테이블(%2)에 기본값이 volatile인 열(또는 생성 열)을 추가합니다. PostgreSQL이 ACCESS EXCLUSIVE 잠금을 건 채 테이블 전체를 다시 씁니다. 기본값 없이(또는 상수 기본값으로) 열을 추가한 뒤 배치로 나누어 값을 채우세요.</translation>
    </message>
    <message>
        <source>Changes the type of column %3 of %1 (%2) in a way PostgreSQL performs by rewriting the whole table under an ACCESS EXCLUSIVE lock. Add a new column, fill it in batches and switch over instead.</source>
        <translation>%1 테이블(%2)의 %3 열 타입을 변경합니다. 이 변경은 PostgreSQL이 ACCESS EXCLUSIVE 잠금을 건 채 테이블 전체를 다시 써서 수행합니다. 대신 새 열을 추가하고 배치로 나누어 값을 채운 뒤 새 열로 전환하세요.</translation>
    </message>
    <message>
        <source>SET NOT NULL on column %3 of %1 (%2) scans the whole table under an ACCESS EXCLUSIVE lock. Add CHECK (%3 IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT it, then SET NOT NULL.</source>
        <translation>%1 테이블(%2)의 %3 열에 대한 SET NOT NULL은 ACCESS EXCLUSIVE 잠금을 건 채 테이블 전체를 스캔합니다. CHECK (%3 IS NOT NULL) NOT VALID를 추가하고 VALIDATE CONSTRAINT로 검증한 뒤 SET NOT NULL을 실행하세요.</translation>
    </message>
    <message>
        <source>Adds a CHECK constraint to %1 (%2) without NOT VALID: the whole table is scanned under an ACCESS EXCLUSIVE lock. Add it NOT VALID, then VALIDATE CONSTRAINT (which does not block writes).</source>
        <translation>NOT VALID 없이 %1 테이블(%2)에 CHECK 제약 조건을 추가합니다. ACCESS EXCLUSIVE 잠금을 건 채 테이블 전체를 스캔합니다. NOT VALID로 추가한 뒤 VALIDATE CONSTRAINT를 실행하세요(쓰기를 막지 않습니다).</translation>
    </message>
    <message>
        <source>Adds a foreign key to %1 (%2) without NOT VALID: the whole table is checked while writes to it and the referenced table wait. Add it NOT VALID, then VALIDATE CONSTRAINT.</source>
        <translation>NOT VALID 없이 %1 테이블(%2)에 외래 키를 추가합니다. 테이블 전체를 검사하는 동안 이 테이블과 참조되는 테이블에 대한 쓰기가 대기합니다. NOT VALID로 추가한 뒤 VALIDATE CONSTRAINT를 실행하세요.</translation>
    </message>
    <message>
        <source>Adds a UNIQUE or PRIMARY KEY constraint to %1 (%2), which builds its index under an ACCESS EXCLUSIVE lock. Build a unique index CONCURRENTLY first, then ADD CONSTRAINT ... USING INDEX.</source>
        <translation>%1 테이블(%2)에 UNIQUE 또는 PRIMARY KEY 제약 조건을 추가합니다. 이때 ACCESS EXCLUSIVE 잠금을 건 채 인덱스를 만듭니다. 먼저 CONCURRENTLY로 고유 인덱스를 만든 뒤 ADD CONSTRAINT ... USING INDEX를 사용하세요.</translation>
    </message>
    <message>
        <source>Renames table %1: deployed code that still uses the old name fails until it is updated. Deploy code that works with both names first, or use a view.</source>
        <translation>%1 테이블의 이름을 바꿉니다. 아직 예전 이름을 쓰는 배포된 코드는 업데이트될 때까지 실패합니다. 먼저 두 이름 모두에서 동작하는 코드를 배포하거나 뷰를 사용하세요.</translation>
    </message>
    <message>
        <source>Renames column %1.%2: deployed code that still uses the old name fails until it is updated. Add the new column and migrate in steps instead.</source>
        <translation>%1.%2 열의 이름을 바꿉니다. 아직 예전 이름을 쓰는 배포된 코드는 업데이트될 때까지 실패합니다. 대신 새 열을 추가하고 단계적으로 마이그레이션하세요.</translation>
    </message>
    <message>
        <source>unknown row count</source>
        <translation>행 수 알 수 없음</translation>
    </message>
    <message>
        <source>Drops table %1 and all its data (%2).</source>
        <translation>%1 테이블과 그 데이터를 모두 삭제합니다(%2).</translation>
    </message>
    <message>
        <source>Drops column %1.%2 and its values (%3).</source>
        <translation>%1.%2 열과 그 값을 삭제합니다(%3).</translation>
    </message>
    <message>
        <source>Empties table %1 (%2).</source>
        <translation>%1 테이블을 비웁니다(%2).</translation>
    </message>
    <message>
        <source>Deletes every row of %1 (%2): the statement has no WHERE.</source>
        <translation>%1 테이블의 모든 행을 삭제합니다(%2). 문에 WHERE가 없습니다.</translation>
    </message>
    <message>
        <source>Overwrites every row of %1 (%2): the statement has no WHERE.</source>
        <translation>%1 테이블의 모든 행을 덮어씁니다(%2). 문에 WHERE가 없습니다.</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::RevisionGraph</name>
    <message>
        <source>Revision %1 is present more than once</source>
        <translation>%1 리비전이 두 번 이상 있습니다</translation>
    </message>
    <message>
        <source>Empty revision identifier</source>
        <translation>빈 리비전 식별자</translation>
    </message>
    <message>
        <source>Character(s) &apos;%1&apos; not allowed in revision identifier &apos;%2&apos;</source>
        <translation>리비전 식별자 &apos;%2&apos;에 허용되지 않는 &apos;%1&apos; 문자가 있습니다</translation>
    </message>
    <message>
        <source>Self-loop is detected in revisions (%1)</source>
        <translation>리비전에서 자기 참조 루프가 발견되었습니다(%1)</translation>
    </message>
    <message>
        <source>Revision %1 referenced from %2 is not present</source>
        <translation>%2에서 참조하는 %1 리비전이 없습니다</translation>
    </message>
    <message>
        <source>Revision %1 lists the same parent more than once</source>
        <translation>%1 리비전이 같은 부모를 두 번 이상 나열합니다</translation>
    </message>
    <message>
        <source>Cycle is detected in revisions (%1)</source>
        <translation>리비전에서 순환이 발견되었습니다(%1)</translation>
    </message>
    <message>
        <source>No such revision or branch &apos;%1&apos;</source>
        <translation>이름이 &apos;%1&apos;인 리비전이나 브랜치가 없습니다</translation>
    </message>
    <message>
        <source>Walked too far</source>
        <translation>너무 멀리 이동했습니다</translation>
    </message>
    <message>
        <source>Destination %end is not a valid upgrade target from current head(s)</source>
        <translation>%end 대상 리비전은 현재 헤드에서 올바른 업그레이드 대상이 아닙니다</translation>
    </message>
    <message>
        <source>Destination %end is not a valid downgrade target from current head(s)</source>
        <translation>%end 대상 리비전은 현재 헤드에서 올바른 다운그레이드 대상이 아닙니다</translation>
    </message>
    <message>
        <source>downgrade -1 from multiple heads is ambiguous; this usage will be disallowed in a future release.</source>
        <translation>헤드가 여러 개일 때 downgrade -1은 모호합니다. 이 사용법은 향후 버전에서 금지됩니다.</translation>
    </message>
    <message>
        <source>Multiple heads are present; please specify a single target revision</source>
        <translation>헤드가 여러 개 있습니다. 대상 리비전을 하나만 지정하세요</translation>
    </message>
    <message>
        <source>The version table does not match the revisions being stamped</source>
        <translation>버전 테이블이 스탬프하려는 리비전과 맞지 않습니다</translation>
    </message>
    <message>
        <source>Multiple heads are present for given argument &apos;%1&apos;; %2</source>
        <translation>인수 &apos;%1&apos;에 해당하는 헤드가 여러 개입니다. %2</translation>
    </message>
    <message>
        <source>Revision %1 is not an ancestor of revision %2</source>
        <translation>%1 리비전은 리비전 %2의 조상이 아닙니다</translation>
    </message>
    <message>
        <source>Requested range %start:%end does not refer to ancestor/descendant revisions along the same branch</source>
        <translation>요청한 범위 %start:%end는 같은 브랜치 위의 조상/자손 리비전을 가리키지 않습니다</translation>
    </message>
    <message>
        <source>Multiple head revisions are present for given argument &apos;%head_arg&apos;; please specify a specific target revision, &apos;&lt;branchname&gt;@%head_arg&apos; to narrow to a specific head, or &apos;heads&apos; for all heads</source>
        <translation>인수 &apos;%head_arg&apos;에 해당하는 헤드 리비전이 여러 개입니다. 특정 대상 리비전을 지정하거나, 헤드 하나로 좁히려면 &apos;&lt;branchname&gt;@%head_arg&apos;를, 모든 헤드에는 &apos;heads&apos;를 지정하세요</translation>
    </message>
    <message>
        <source>Can&apos;t locate revision identified by &apos;%1&apos;</source>
        <translation>식별자가 &apos;%1&apos;인 리비전을 찾을 수 없습니다</translation>
    </message>
    <message>
        <source>Branch labels are not supported: &apos;%1&apos;; use a revision id, a unique prefix of one, or head/heads/base</source>
        <translation>브랜치 레이블은 지원되지 않습니다: &apos;%1&apos;. 리비전 ID, 그 고유한 접두사, 또는 head/heads/base를 사용하세요</translation>
    </message>
    <message>
        <source>Relative revision %1 didn&apos;t produce %2 migrations</source>
        <translation>상대 %1 리비전으로 %2개의 마이그레이션을 만들 수 없습니다</translation>
    </message>
    <message>
        <source>Requested revision %1 overlaps with other requested revisions %2</source>
        <translation>요청한 %1 리비전이 요청한 다른 %2 리비전과 겹칩니다</translation>
    </message>
    <message>
        <source>; please ensure at least four characters are present for partial revision identifier matches</source>
        <translation>; 부분 리비전 식별자로 찾으려면 네 글자 이상을 입력하세요</translation>
    </message>
    <message>
        <source>Multiple revisions start with &apos;%1&apos;: %2...</source>
        <translation>&apos;%1&apos; 접두사로 시작하는 리비전이 여러 개입니다: %2...</translation>
    </message>
    <message>
        <source>Ambiguous walk</source>
        <translation>이동 경로가 모호합니다</translation>
    </message>
    <message>
        <source>Ambiguous upgrade from multiple current revisions</source>
        <translation>현재 리비전이 여러 개라 업그레이드 경로가 모호합니다</translation>
    </message>
    <message>
        <source>Not a valid downgrade target from current heads</source>
        <translation>현재 헤드에서 올바른 다운그레이드 대상이 아닙니다</translation>
    </message>
    <message>
        <source>Nothing to drop</source>
        <translation>삭제할 것이 없습니다</translation>
    </message>
    <message>
        <source>The revision graph is invalid: %1</source>
        <translation>리비전 그래프가 올바르지 않습니다: %1</translation>
    </message>
    <message>
        <source>Branch name &apos;%1&apos; in revision %2 already used by revision %3</source>
        <translation>리비전 %2의 브랜치 이름 &apos;%1&apos;: 이미 리비전 %3에서 사용 중입니다</translation>
    </message>
    <message>
        <source>Dependency self-loop is detected in revisions (%1)</source>
        <translation>리비전에서 의존성 자기 참조 루프가 발견되었습니다(%1)</translation>
    </message>
    <message>
        <source>Dependency %1 of revision %2 is neither a revision nor a branch label</source>
        <translation>리비전 %2의 의존성 %1: 리비전도 브랜치 레이블도 아닙니다</translation>
    </message>
    <message>
        <source>Dependency cycle is detected in revisions (%1)</source>
        <translation>리비전에서 의존성 순환이 발견되었습니다(%1)</translation>
    </message>
    <message>
        <source>No such branch: &apos;%1&apos;</source>
        <translation>이름이 &apos;%1&apos;인 브랜치가 없습니다</translation>
    </message>
    <message>
        <source>Revision %1 is not a member of branch &apos;%2&apos;</source>
        <translation>%1 리비전은 &apos;%2&apos; 브랜치에 속하지 않습니다</translation>
    </message>
    <message>
        <source>Relative revision %1 is ambiguous on branch &apos;%2&apos;</source>
        <translation>상대 리비전 %1 지정이 &apos;%2&apos; 브랜치에서 모호합니다</translation>
    </message>
    <message>
        <source>Revision %1 does not name exactly one branch</source>
        <translation>리비전 %1: 브랜치를 정확히 하나 가리키지 않습니다</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::RowFetcher</name>
    <message>
        <source>Not connected.</source>
        <translation>연결되어 있지 않습니다.</translation>
    </message>
    <message>
        <source>The table %1.%2 does not exist.</source>
        <translation>%1.%2 테이블이 없습니다.</translation>
    </message>
    <message>
        <source>canceling statement due to user request</source>
        <translation>사용자 요청으로 문장 실행을 취소했습니다</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::RunLogDialog</name>
    <message>
        <source>Statements of %1 %2</source>
        <translation>%1 %2의 문 목록</translation>
    </message>
    <message>
        <source>%1 %2, started %3 by %4</source>
        <translation>%1 %2, 시작 %3, 실행자 %4</translation>
    </message>
    <message>
        <source>Succeeded in %1.</source>
        <translation>%1 만에 성공했습니다.</translation>
    </message>
    <message>
        <source>Failed after %1.</source>
        <translation>%1 뒤 실패했습니다.</translation>
    </message>
    <message>
        <source>Backup written first: %1</source>
        <translation>먼저 저장한 백업: %1</translation>
    </message>
    <message>
        <source>No statements were recorded for this run (a stamp, or a run recorded by an older version).</source>
        <translation>이 실행에는 기록된 문이 없습니다(스탬프이거나 이전 버전에서 기록된 실행).</translation>
    </message>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>행</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>시간</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>결과</translation>
    </message>
    <message>
        <source>Statement</source>
        <translation>문</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>실패</translation>
    </message>
    <message>
        <source>Not finished</source>
        <translation>완료되지 않음</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>성공</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1ms</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>실패: %1</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::RunPanel</name>
    <message>
        <source>Running: %1</source>
        <translation>실행 중: %1</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>시작하는 중…</translation>
    </message>
    <message>
        <source>Cancel migration</source>
        <translation>마이그레이션 취소</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>닫기</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>대기 중</translation>
    </message>
    <message>
        <source>Stamping the version table…</source>
        <translation>버전 테이블에 스탬프하는 중…</translation>
    </message>
    <message>
        <source>Step %1 of %2: %3 %4</source>
        <translation>%2단계 중 %1단계: %3 %4</translation>
    </message>
    <message>
        <source>upgrade</source>
        <translation>업그레이드</translation>
    </message>
    <message>
        <source>downgrade</source>
        <translation>다운그레이드</translation>
    </message>
    <message>
        <source>running</source>
        <translation>실행 중</translation>
    </message>
    <message>
        <source>%1 of %2 statements</source>
        <translation>문 %2개 중 %1개</translation>
    </message>
    <message>
        <source>done in %1</source>
        <translation>%1 만에 완료</translation>
    </message>
    <message>
        <source>rolled back after %1</source>
        <translation>%1 뒤 롤백됨</translation>
    </message>
    <message>
        <source>Nothing to do: the database was already at the target.</source>
        <translation>할 일이 없습니다: 데이터베이스가 이미 대상 리비전에 있었습니다.</translation>
    </message>
    <message>
        <source>Succeeded: 1 step applied.</source>
        <translation>성공: 1단계를 적용했습니다.</translation>
    </message>
    <message>
        <source>Succeeded: %1 steps applied.</source>
        <translation>성공: %1단계를 적용했습니다.</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>완료</translation>
    </message>
    <message>
        <source>Cancelled. %1</source>
        <translation>취소했습니다. %1</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>취소됨</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>실패: %1</translation>
    </message>
    <message>
        <source>Statement %1: %2</source>
        <translation>문 %1: %2</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>실패</translation>
    </message>
    <message>
        <source>Version table now: %1</source>
        <translation>현재 버전 테이블: %1</translation>
    </message>
    <message>
        <source>base (empty)</source>
        <translation>base (비어 있음)</translation>
    </message>
    <message>
        <source>Cancelling… the server rolls the running revision back.</source>
        <translation>취소하는 중… 서버가 실행 중인 리비전을 롤백합니다.</translation>
    </message>
    <message>
        <source>Cancel requested.</source>
        <translation>취소를 요청했습니다.</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::SandboxLauncher</name>
    <message>
        <source>Preparing the local sandbox database…</source>
        <translation>로컬 샌드박스 데이터베이스를 준비하는 중…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>Local sandbox</source>
        <translation>로컬 샌드박스</translation>
    </message>
    <message>
        <source>The local sandbox is not running.</source>
        <translation>로컬 샌드박스가 실행 중이 아닙니다.</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::SandboxUrlAction</name>
    <message>
        <source>Copy Sandbox URL</source>
        <translation>샌드박스 URL 복사</translation>
    </message>
    <message>
        <source>Copy the running sandbox&apos;s address, password included, for psql or another tool</source>
        <translation>psql이나 다른 도구에서 쓸 수 있도록 실행 중인 샌드박스의 주소를 비밀번호와 함께 복사합니다</translation>
    </message>
    <message>
        <source>The sandbox&apos;s URL, with its password, is on the clipboard.</source>
        <translation>샌드박스 URL을 비밀번호와 함께 클립보드에 복사했습니다.</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::ScheduleDetailPane</name>
    <message>
        <source>Select a schedule to see its details.</source>
        <translation>일정을 선택하면 세부 정보가 표시됩니다.</translation>
    </message>
    <message>
        <source>Description:</source>
        <translation>설명:</translation>
    </message>
    <message>
        <source>Purpose:</source>
        <translation>목적:</translation>
    </message>
    <message>
        <source>Location:</source>
        <translation>장소:</translation>
    </message>
    <message>
        <source>Client contact:</source>
        <translation>고객 연락처:</translation>
    </message>
    <message>
        <source>Reminder:</source>
        <translation>알림:</translation>
    </message>
    <message>
        <source>Result:</source>
        <translation>결과:</translation>
    </message>
    <message>
        <source>Follow-up:</source>
        <translation>후속 조치:</translation>
    </message>
    <message>
        <source>Created:</source>
        <translation>생성:</translation>
    </message>
    <message>
        <source>Updated:</source>
        <translation>수정:</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>저장(&amp;S)</translation>
    </message>
    <message>
        <source>Disca&amp;rd</source>
        <translation>편집 취소(&amp;R)</translation>
    </message>
    <message>
        <source>Throw away your edits and show the schedule as it is stored now.</source>
        <translation>편집한 내용을 버리고 현재 저장된 일정을 표시합니다.</translation>
    </message>
    <message>
        <source>S&amp;tatus:</source>
        <translation>상태(&amp;T):</translation>
    </message>
    <message>
        <source>Res&amp;ult:</source>
        <translation>결과(&amp;U):</translation>
    </message>
    <message>
        <source>&amp;Follow-up:</source>
        <translation>후속 조치(&amp;F):</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1(%2)</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(없음)</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>예</translation>
    </message>
    <message>
        <source>No</source>
        <translation>아니요</translation>
    </message>
    <message>
        <source>Yes, at %1</source>
        <translation>예, %1</translation>
    </message>
    <message>
        <source>Client:</source>
        <translation>고객:</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::ScheduleEditor</name>
    <message>
        <source>Your database role may not change schedules (it lacks UPDATE on public.schedules or on its status, result and follow_up columns). Nothing was saved.
%1</source>
        <translation>데이터베이스 역할에 일정을 변경할 권한이 없습니다(public.schedules 또는 status, result, follow_up 열에 대한 UPDATE 권한 없음). 아무것도 저장되지 않았습니다.
%1</translation>
    </message>
    <message>
        <source>The database is read-only. Nothing was saved.
%1</source>
        <translation>데이터베이스가 읽기 전용입니다. 아무것도 저장되지 않았습니다.
%1</translation>
    </message>
    <message>
        <source>The database refused the values. Nothing was saved.
%1</source>
        <translation>데이터베이스가 값을 거부했습니다. 아무것도 저장되지 않았습니다.
%1</translation>
    </message>
    <message>
        <source>Not connected. Nothing was saved.</source>
        <translation>연결되어 있지 않습니다. 아무것도 저장되지 않았습니다.</translation>
    </message>
    <message>
        <source>No schedule is selected. Nothing was saved.</source>
        <translation>선택된 일정이 없습니다. 아무것도 저장되지 않았습니다.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a valid status. Choose one of: %2. Nothing was saved.</source>
        <translation>&quot;%1&quot; 값은 올바른 상태가 아닙니다. 다음 중 하나를 고르십시오: %2. 아무것도 저장되지 않았습니다.</translation>
    </message>
    <message>
        <source>%1 could not be saved. Nothing was changed.
%2</source>
        <translation>%1: 저장할 수 없습니다. 아무것도 변경되지 않았습니다.
%2</translation>
    </message>
    <message>
        <source>Not connected: %1 could not be read again.</source>
        <translation>연결되어 있지 않습니다. %1: 다시 읽을 수 없습니다.</translation>
    </message>
    <message>
        <source>%1 could not be read again.
%2</source>
        <translation>%1: 다시 읽을 수 없습니다.
%2</translation>
    </message>
    <message>
        <source>%1 no longer exists.</source>
        <translation>%1: 더 이상 존재하지 않습니다.</translation>
    </message>
    <message>
        <source>%1 no longer exists. Nothing was saved.</source>
        <translation>%1: 더 이상 존재하지 않습니다. 아무것도 저장되지 않았습니다.</translation>
    </message>
    <message>
        <source>%1 was deleted meanwhile (it is in the trash). Nothing was saved.</source>
        <translation>%1: 그 사이에 삭제되었습니다(휴지통에 있음). 아무것도 저장되지 않았습니다.</translation>
    </message>
    <message>
        <source>%1 was changed by someone else since you opened it (updated at %2 UTC). Nothing was saved; your edits are kept. Discard them to see the current values.</source>
        <translation>%1: 연 뒤에 다른 사용자가 변경했습니다(%2 UTC에 수정됨). 아무것도 저장되지 않았으며 편집한 내용은 남아 있습니다. 현재 값을 보려면 편집을 취소하십시오.</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::ScheduleFilterPanel</name>
    <message>
        <source>Any employee (type a name)</source>
        <translation>모든 직원 (이름 입력)</translation>
    </message>
    <message>
        <source>Any department</source>
        <translation>모든 부서</translation>
    </message>
    <message>
        <source>Any date</source>
        <translation>모든 날짜</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>오늘</translation>
    </message>
    <message>
        <source>This week</source>
        <translation>이번 주</translation>
    </message>
    <message>
        <source>This month</source>
        <translation>이번 달</translation>
    </message>
    <message>
        <source>Custom range</source>
        <translation>기간 지정</translation>
    </message>
    <message>
        <source>Any type</source>
        <translation>모든 유형</translation>
    </message>
    <message>
        <source>Any status</source>
        <translation>모든 상태</translation>
    </message>
    <message>
        <source>Any priority</source>
        <translation>모든 우선순위</translation>
    </message>
    <message>
        <source>Title or client contains…</source>
        <translation>제목 또는 고객에 포함된 텍스트…</translation>
    </message>
    <message>
        <source>Clear Filters</source>
        <translation>필터 모두 지우기</translation>
    </message>
    <message>
        <source>&amp;Employee:</source>
        <translation>직원(&amp;E):</translation>
    </message>
    <message>
        <source>&amp;Department:</source>
        <translation>부서(&amp;D):</translation>
    </message>
    <message>
        <source>D&amp;ates:</source>
        <translation>날짜(&amp;A):</translation>
    </message>
    <message>
        <source>&amp;Type:</source>
        <translation>유형(&amp;T):</translation>
    </message>
    <message>
        <source>&amp;Status:</source>
        <translation>상태(&amp;S):</translation>
    </message>
    <message>
        <source>&amp;Priority:</source>
        <translation>우선순위(&amp;P):</translation>
    </message>
    <message>
        <source>Sea&amp;rch:</source>
        <translation>검색(&amp;R):</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1(%2)</translation>
    </message>
    <message>
        <source>No employee matches</source>
        <translation>일치하는 직원이 없습니다</translation>
    </message>
    <message>
        <source>Choose one, or tick several in the list.</source>
        <translation>하나를 고르거나 목록에서 여러 개를 체크하세요.</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::ScheduleGridModel</name>
    <message>
        <source>Date</source>
        <translation>날짜</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>시작</translation>
    </message>
    <message>
        <source>End</source>
        <translation>종료</translation>
    </message>
    <message>
        <source>Employee</source>
        <translation>직원</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>부서</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>유형</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>제목</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>고객</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>장소</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>상태</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>우선순위</translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation>삭제 시각</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Owner in trash</source>
        <translation>담당자도 휴지통에</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>수정 시각</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>이름</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>이메일</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>사용자 이름</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>역할</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>예</translation>
    </message>
    <message>
        <source>No</source>
        <translation>아니요</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::SchedulesView</name>
    <message>
        <source>&amp;Edit</source>
        <translation>편집(&amp;E)</translation>
    </message>
    <message>
        <source>Read-only</source>
        <translation>읽기 전용</translation>
    </message>
    <message>
        <source>Browsing uses a read-only session. Use Edit to change a schedule.</source>
        <translation>조회는 읽기 전용 세션을 사용합니다. 일정을 변경하려면 편집을 사용하십시오.</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>Re&amp;fresh</source>
        <translation>새로 고침(&amp;F)</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>저장 중…</translation>
    </message>
    <message>
        <source>Loading schedules…</source>
        <translation>일정을 불러오는 중…</translation>
    </message>
    <message>
        <source>Connect to a database to see its schedules.</source>
        <translation>일정을 보려면 데이터베이스에 연결하십시오.</translation>
    </message>
    <message>
        <source>Could not read the schedules.
%1</source>
        <translation>일정을 읽을 수 없습니다.
%1</translation>
    </message>
    <message>
        <source>The schedules table does not exist. Upgrade the database to head in Migrations.</source>
        <translation>schedules 테이블이 없습니다. 마이그레이션에서 데이터베이스를 head로 업그레이드하세요.</translation>
    </message>
    <message>
        <source>Reading…</source>
        <translation>읽는 중…</translation>
    </message>
    <message>
        <source>Schedules: %1</source>
        <translation>일정: %1</translation>
    </message>
    <message>
        <source>Connect to a database whose schedules table exists to edit schedules.</source>
        <translation>일정을 편집하려면 schedules 테이블이 있는 데이터베이스에 연결하십시오.</translation>
    </message>
    <message>
        <source>Opening the editing connection…</source>
        <translation>편집용 연결을 여는 중…</translation>
    </message>
    <message>
        <source>The editing connection failed: %1</source>
        <translation>편집용 연결에 실패했습니다: %1</translation>
    </message>
    <message>
        <source>Your database role may not change schedules: it lacks UPDATE on public.schedules (status, result and follow_up).</source>
        <translation>데이터베이스 역할에 일정을 변경할 권한이 없습니다: public.schedules(status, result, follow_up)에 대한 UPDATE 권한이 없습니다.</translation>
    </message>
    <message>
        <source>Change the status, result and follow-up of the selected schedule.</source>
        <translation>선택한 일정의 상태, 결과, 후속 조치를 변경합니다.</translation>
    </message>
    <message>
        <source>Unsaved Changes</source>
        <translation>저장하지 않은 변경 사항</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>저장했습니다.</translation>
    </message>
    <message>
        <source>&amp;Grid</source>
        <translation>그리드(&amp;G)</translation>
    </message>
    <message>
        <source>Schedules as rows</source>
        <translation>일정을 행으로 표시</translation>
    </message>
    <message>
        <source>&amp;Week</source>
        <translation>주(&amp;W)</translation>
    </message>
    <message>
        <source>A calendar week: each schedule at its time</source>
        <translation>달력 주 보기: 각 일정을 해당 시간에 표시</translation>
    </message>
    <message>
        <source>&amp;Month</source>
        <translation>월(&amp;M)</translation>
    </message>
    <message>
        <source>A calendar month</source>
        <translation>달력 월 보기</translation>
    </message>
    <message>
        <source>No schedules match these filters. &lt;a href=&quot;clear&quot;&gt;Clear Filters&lt;/a&gt;</source>
        <translation>이 필터에 맞는 일정이 없습니다. &lt;a href=&quot;clear&quot;&gt;필터 모두 지우기&lt;/a&gt;</translation>
    </message>
    <message>
        <source>%1 has unsaved changes. Leave edit mode and discard them?</source>
        <translation>%1에 저장하지 않은 변경 사항이 있습니다. 편집 모드를 끝내고 변경 사항을 버릴까요?</translation>
    </message>
    <message>
        <source>%1 has unsaved changes. Discard them?</source>
        <translation>%1에 저장하지 않은 변경 사항이 있습니다. 버릴까요?</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::SchemaTreeModel</name>
    <message>
        <source>Table</source>
        <translation>테이블</translation>
    </message>
    <message>
        <source>Partitioned table</source>
        <translation>파티션 테이블</translation>
    </message>
    <message>
        <source>View</source>
        <translation>뷰</translation>
    </message>
    <message>
        <source>Materialized view</source>
        <translation>구체화된 뷰</translation>
    </message>
    <message>
        <source>Foreign table</source>
        <translation>외부 테이블</translation>
    </message>
    <message>
        <source>Schema</source>
        <translation>스키마</translation>
    </message>
    <message numerus="yes">
        <source>Schema %1: %n relation(s)</source>
        <translation>
            <numerusform>스키마 %1: 릴레이션 %n개</numerusform>
        </translation>
    </message>
    <message>
        <source>You have no SELECT privilege on %1.%2.</source>
        <translation>%1.%2에 대한 SELECT 권한이 없습니다.</translation>
    </message>
    <message>
        <source>A view has no row estimate of its own.</source>
        <translation>뷰에는 자체 행 수 추정치가 없습니다.</translation>
    </message>
    <message>
        <source>Never analyzed: no row estimate yet.</source>
        <translation>아직 ANALYZE하지 않아 행 수 추정치가 없습니다.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>이름</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>유형</translation>
    </message>
    <message>
        <source>Rows (est.)</source>
        <translation>행 수(추정)</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>크기</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::TableGridModel</name>
    <message>
        <source>Deleted: this row is in the trash (is_deleted = true).</source>
        <translation>삭제됨: 이 행은 휴지통에 있습니다(is_deleted = true).</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::TablesView</name>
    <message>
        <source>Schemas</source>
        <translation>스키마</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>새로 고침</translation>
    </message>
    <message>
        <source>Read the schemas, tables and their estimates again</source>
        <translation>스키마, 테이블과 추정치를 다시 읽습니다</translation>
    </message>
    <message>
        <source>Show deleted rows</source>
        <translation>삭제된 행 표시</translation>
    </message>
    <message>
        <source>Also show the rows marked is_deleted (kept for the Trash)</source>
        <translation>is_deleted로 표시된 행(휴지통에 보관된 행)도 표시합니다</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>복사</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>CSV로 내보내기…</translation>
    </message>
    <message>
        <source>Reading rows… Sorting by a column without an index can take a while.</source>
        <translation>행을 읽는 중… 인덱스가 없는 열로 정렬하면 시간이 걸릴 수 있습니다.</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>Cancel Export</source>
        <translation>내보내기 취소</translation>
    </message>
    <message>
        <source>Loading the schemas…</source>
        <translation>스키마를 불러오는 중…</translation>
    </message>
    <message>
        <source>Connect to a database to browse its tables.</source>
        <translation>테이블을 보려면 데이터베이스에 연결하세요.</translation>
    </message>
    <message>
        <source>The schemas could not be read: %1</source>
        <translation>스키마를 읽을 수 없습니다: %1</translation>
    </message>
    <message>
        <source>This database has no schemas you can see.</source>
        <translation>이 데이터베이스에는 볼 수 있는 스키마가 없습니다.</translation>
    </message>
    <message>
        <source>Select a table or view in the tree.</source>
        <translation>트리에서 테이블이나 뷰를 선택하세요.</translation>
    </message>
    <message>
        <source>The table %1.%2 does not exist in this database.</source>
        <translation>이 데이터베이스에 %1.%2 테이블이 없습니다.</translation>
    </message>
    <message>
        <source>You have no SELECT privilege on %1.%2, so its rows cannot be shown or exported. Ask its owner to GRANT SELECT to your role.</source>
        <translation>%1.%2에 대한 SELECT 권한이 없어 행을 표시하거나 내보낼 수 없습니다. 소유자에게 현재 역할에 SELECT 권한을 GRANT해 달라고 요청하세요.</translation>
    </message>
    <message>
        <source>View %1.%2</source>
        <translation>뷰 %1.%2</translation>
    </message>
    <message>
        <source>Table %1.%2</source>
        <translation>테이블 %1.%2</translation>
    </message>
    <message>
        <source>Cancelled. Scroll, sort or refresh to read the rows again.</source>
        <translation>취소했습니다. 행을 다시 읽으려면 스크롤하거나 정렬하거나 새로 고치세요.</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>불러오는 중…</translation>
    </message>
    <message numerus="yes">
        <source>%1 rows</source>
        <translation>
            <numerusform>%1행</numerusform>
        </translation>
    </message>
    <message>
        <source>No rows match the filters.</source>
        <translation>필터에 맞는 행이 없습니다.</translation>
    </message>
    <message>
        <source>Copy the selected cells as tab-separated text (Ctrl+C)</source>
        <translation>선택한 셀을 탭으로 구분된 텍스트로 복사 (Ctrl+C)</translation>
    </message>
    <message>
        <source>Select cells in the grid to copy them</source>
        <translation>복사하려면 그리드에서 셀을 선택하세요</translation>
    </message>
    <message>
        <source>Exporting needs the SELECT privilege on this table.</source>
        <translation>내보내려면 이 테이블에 대한 SELECT 권한이 필요합니다.</translation>
    </message>
    <message>
        <source>An export is already running.</source>
        <translation>이미 내보내기가 진행 중입니다.</translation>
    </message>
    <message>
        <source>Write the rows as the grid shows them (filters, sort, deleted rows) to a CSV file</source>
        <translation>그리드에 보이는 그대로(필터, 정렬, 삭제된 행) 행을 CSV 파일로 저장합니다</translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation>CSV로 내보내기</translation>
    </message>
    <message>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>CSV 파일 (*.csv);;모든 파일 (*)</translation>
    </message>
    <message>
        <source>Exporting %1 to %2…</source>
        <translation>%1 테이블을 %2 파일로 내보내는 중…</translation>
    </message>
    <message numerus="yes">
        <source>Exported %1 of ≈ %2 rows…</source>
        <translation>
            <numerusform>≈ %2행 중 %1행 내보냄…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Exported %1 rows…</source>
        <translation>
            <numerusform>%1행 내보냄…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Exported %1 rows to %2.</source>
        <translation>
            <numerusform>%1행을 %2 파일로 내보냈습니다.</numerusform>
        </translation>
    </message>
    <message>
        <source>Export cancelled; no file was written.</source>
        <translation>내보내기를 취소했습니다. 파일은 만들지 않았습니다.</translation>
    </message>
    <message>
        <source>Export failed; no file was written: %1</source>
        <translation>내보내기에 실패했습니다. 파일은 만들지 않았습니다: %1</translation>
    </message>
    <message>
        <source>Cancelling the export…</source>
        <translation>내보내기를 취소하는 중…</translation>
    </message>
    <message>
        <source>The values of “%1” stay masked: the unmasking could not be recorded in the audit table migrationdesk.audit.
%2</source>
        <translation>“%1” 열의 값은 계속 가려집니다. 가림 해제를 감사 테이블 migrationdesk.audit에 기록할 수 없습니다.
%2</translation>
    </message>
    <message>
        <source>Excel compatible (UTF-8 with BOM)</source>
        <translation>Excel 호환 (BOM 포함 UTF-8)</translation>
    </message>
    <message>
        <source>Recording the unmasking of “%1” in the audit table…</source>
        <translation>“%1” 열의 가림 해제를 감사 테이블에 기록하는 중…</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::TimeZoneChoice</name>
    <message>
        <source>Show Times in &amp;UTC</source>
        <translation>UTC로 시간 표시(&amp;U)</translation>
    </message>
    <message>
        <source>Show created, updated and deleted times in UTC, as stored, instead of local time. Schedule dates and times are never shifted.</source>
        <translation>생성, 수정, 삭제 시각을 현지 시간 대신 저장된 그대로 UTC로 표시합니다. 일정의 날짜와 시간은 바뀌지 않습니다.</translation>
    </message>
    <message>
        <source>Times: %1</source>
        <extracomment>The status bar field saying which time zone timestamps are shown in; %1 is &quot;UTC&quot; or &quot;local time (UTC+9)&quot;.</extracomment>
        <translation>시간대: %1</translation>
    </message>
    <message>
        <source>Stored timestamps are UTC. View &gt; Show Times in UTC switches between UTC and local time.</source>
        <translation>저장된 타임스탬프는 UTC입니다. 보기 &gt; UTC로 시간 표시에서 UTC와 현지 시간을 전환합니다.</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::TimelineDelegate</name>
    <message>
        <source>current</source>
        <translation>현재</translation>
    </message>
    <message>
        <source>applied</source>
        <translation>적용됨</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>대기 중</translation>
    </message>
    <message>
        <source>missing from scripts</source>
        <translation>스크립트 없음</translation>
    </message>
    <message>
        <source>&lt; 1 ms</source>
        <translation>&lt; 1ms</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1ms</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1초</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1분 %2초</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>State: %1</source>
        <translation>상태: %1</translation>
    </message>
    <message>
        <source>Created: %1</source>
        <translation>생성: %1</translation>
    </message>
    <message>
        <source>Last run: %1 by %2, took %3</source>
        <translation>마지막 실행: %1, 실행자 %2, 소요 %3</translation>
    </message>
    <message>
        <source>1 failed attempt recorded</source>
        <translation>실패한 시도 1건 기록됨</translation>
    </message>
    <message>
        <source>%1 failed attempts recorded</source>
        <translation>실패한 시도 %1건 기록됨</translation>
    </message>
    <message>
        <source>Non-transactional: each statement commits on its own.</source>
        <translation>트랜잭션 밖에서 실행: 각 문이 따로 커밋됩니다.</translation>
    </message>
    <message>
        <source>⚠ The script was edited after it was applied: its checksum differs from the one recorded.</source>
        <translation>⚠ 적용된 뒤 스크립트가 수정되었습니다. 체크섬이 기록된 값과 다릅니다.</translation>
    </message>
    <message>
        <source>The database records this revision, but no script for it was found.</source>
        <translation>데이터베이스에는 이 리비전이 기록되어 있지만 스크립트를 찾지 못했습니다.</translation>
    </message>
    <message>
        <source>head</source>
        <translation>head</translation>
    </message>
    <message>
        <source>merge</source>
        <translation>병합</translation>
    </message>
    <message>
        <source>branch point</source>
        <translation>분기점</translation>
    </message>
    <message>
        <source>⚠ script changed</source>
        <translation>⚠ 스크립트 바뀜</translation>
    </message>
    <message>
        <source>created %1</source>
        <translation>생성 %1</translation>
    </message>
    <message>
        <source>applied %1 by %2 in %3</source>
        <translation>%1 적용, 실행자 %2, 소요 %3</translation>
    </message>
    <message>
        <source>1 failed attempt</source>
        <translation>실패 1건</translation>
    </message>
    <message>
        <source>%1 failed attempts</source>
        <translation>실패 %1건</translation>
    </message>
    <message>
        <source>non-transactional</source>
        <translation>트랜잭션 밖에서 실행</translation>
    </message>
    <message>
        <source>recorded in the database, but no script file defines it: it cannot be downgraded from here</source>
        <translation>데이터베이스에 기록되어 있지만 이를 정의하는 스크립트 파일이 없어 여기서 다운그레이드할 수 없습니다</translation>
    </message>
    <message>
        <source>needs review</source>
        <translation>검토 필요</translation>
    </message>
    <message>
        <source>Branch labels: %1</source>
        <translation>브랜치 레이블: %1</translation>
    </message>
    <message>
        <source>Depends on: %1</source>
        <translation>의존 대상: %1</translation>
    </message>
    <message>
        <source>Needs review: %1. Translate it by hand, then delete its needs_review header; until then it cannot be run or stamped.</source>
        <translation>검토 필요: %1. 직접 SQL로 옮긴 뒤 needs_review 헤더를 삭제하세요. 그때까지는 실행하거나 스탬프할 수 없습니다.</translation>
    </message>
    <message>
        <source>depends on %1</source>
        <translation>%1에 의존</translation>
    </message>
    <message>
        <source>needs review: %1</source>
        <translation>검토 필요: %1</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::TimelineLegend</name>
    <message>
        <source>branch label</source>
        <translation>브랜치 레이블</translation>
    </message>
    <message>
        <source>depends on</source>
        <translation>의존</translation>
    </message>
    <message>
        <source>translate by hand before it can run</source>
        <translation>실행하려면 먼저 직접 SQL로 옮겨야 함</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::TimelineModel</name>
    <message>
        <source>Pending</source>
        <translation>대기 중</translation>
    </message>
    <message>
        <source>Applied</source>
        <translation>적용됨</translation>
    </message>
    <message>
        <source>Current</source>
        <translation>현재</translation>
    </message>
    <message>
        <source>Missing script</source>
        <translation>스크립트 없음</translation>
    </message>
    <message>
        <source>In the database but missing from the scripts: no script file defines this revision.</source>
        <translation>데이터베이스에는 있지만 스크립트에 없습니다: 이 리비전을 정의하는 스크립트 파일이 없습니다.</translation>
    </message>
    <message>
        <source>Created: %1</source>
        <translation>생성: %1</translation>
    </message>
    <message>
        <source>State: %1</source>
        <translation>상태: %1</translation>
    </message>
    <message>
        <source>Base revision (no parent)</source>
        <translation>기본 리비전 (부모 없음)</translation>
    </message>
    <message>
        <source>Parents: %1</source>
        <translation>부모: %1</translation>
    </message>
    <message>
        <source>Runs outside a transaction</source>
        <translation>트랜잭션 밖에서 실행</translation>
    </message>
    <message>
        <source>Last run: %1, took %2</source>
        <translation>마지막 실행: %1, 소요 %2</translation>
    </message>
    <message>
        <source>Last run: %1 by %2, took %3</source>
        <translation>마지막 실행: %1, 실행자 %2, 소요 %3</translation>
    </message>
    <message numerus="yes">
        <source>%n failed run(s) recorded</source>
        <translation>
            <numerusform>실패한 실행 %n건 기록됨</numerusform>
        </translation>
    </message>
    <message>
        <source>Warning: the script file changed since this revision was applied.</source>
        <translation>경고: 이 리비전이 적용된 뒤 스크립트 파일이 바뀌었습니다.</translation>
    </message>
    <message>
        <source>Revision %1 needs review: %2</source>
        <translation>리비전 %1에 검토가 필요합니다: %2</translation>
    </message>
    <message>
        <source>Needs review: %1</source>
        <translation>검토 필요: %1</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::TlsNotice</name>
    <message>
        <source>sslmode=require encrypts the connection but does not verify the server&apos;s certificate, so another server could pose as this one; use sslmode=verify-full with sslrootcert set to your CA certificate.</source>
        <translation>sslmode=require는 연결을 암호화하지만 서버 인증서를 검증하지 않으므로 다른 서버가 이 서버로 위장할 수 있습니다. sslrootcert를 CA 인증서로 설정하고 sslmode=verify-full을 사용하세요.</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::TrashAuditModel</name>
    <message>
        <source>Restored</source>
        <translation>복원</translation>
    </message>
    <message>
        <source>Deleted permanently</source>
        <translation>영구 삭제</translation>
    </message>
    <message>
        <source>Moved back to the trash (undo)</source>
        <translation>휴지통으로 되돌림(복원 취소)</translation>
    </message>
    <message>
        <source>Unmasked a column</source>
        <translation>열 가림 해제</translation>
    </message>
    <message>
        <source>When</source>
        <translation>시각</translation>
    </message>
    <message>
        <source>Database user</source>
        <translation>데이터베이스 사용자</translation>
    </message>
    <message>
        <source>OS user</source>
        <translation>OS 사용자</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>작업</translation>
    </message>
    <message>
        <source>Table</source>
        <translation>테이블</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>행</translation>
    </message>
    <message>
        <source>Values before</source>
        <translation>이전 값</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::TrashAuditPane</name>
    <message>
        <source>Reading the audit trail…</source>
        <translation>감사 기록을 읽는 중…</translation>
    </message>
    <message>
        <source>The audit trail could not be read: %1</source>
        <translation>감사 기록을 읽을 수 없습니다: %1</translation>
    </message>
    <message>
        <source>Nothing has been audited yet.</source>
        <translation>아직 감사 기록이 없습니다.</translation>
    </message>
    <message numerus="yes">
        <source>The newest %n audit row(s).</source>
        <translation>
            <numerusform>최근 감사 기록 %n건을 표시합니다.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n audit row(s).</source>
        <translation>
            <numerusform>감사 기록 %n건을 표시합니다.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MigrationDesk::TrashStore</name>
    <message>
        <source>The audit table migrationdesk.audit is missing or not usable, and this role cannot create it: %1
Restores and permanent deletes are refused until it exists (run an upgrade with MigrationDesk as the database owner, or ask them to grant access).</source>
        <translation>감사 테이블 migrationdesk.audit이 없거나 사용할 수 없으며, 이 역할로는 만들 수 없습니다: %1
테이블이 생길 때까지 복원과 영구 삭제는 거부됩니다(데이터베이스 소유자 권한으로 MigrationDesk 업그레이드를 실행하거나, 소유자에게 권한 부여를 요청하세요).</translation>
    </message>
    <message>
        <source>Schedule %1</source>
        <translation>일정 %1</translation>
    </message>
    <message>
        <source>Schedule %1 (“%2”)</source>
        <translation>일정 %1(“%2”)</translation>
    </message>
    <message>
        <source>Employee %1</source>
        <translation>직원 %1</translation>
    </message>
    <message>
        <source>Employee %1 (%2)</source>
        <translation>직원 %1(%2)</translation>
    </message>
    <message>
        <source>Nothing was changed.</source>
        <translation>아무것도 변경되지 않았습니다.</translation>
    </message>
    <message>
        <source>%1: your role may not change %2 (permission denied).
%3</source>
        <translation>%1: 현재 역할에는 %2 테이블을 변경할 권한이 없습니다(권한 거부).
%3</translation>
    </message>
    <message>
        <source>%1: the session is read-only (default_transaction_read_only or a standby server).</source>
        <translation>%1: 세션이 읽기 전용입니다(default_transaction_read_only 또는 대기 서버).</translation>
    </message>
    <message>
        <source>%1 is locked by another session; try again when it has finished.
%2</source>
        <translation>%1: 다른 세션이 잠그고 있습니다. 그 작업이 끝난 뒤 다시 시도하세요.
%2</translation>
    </message>
    <message>
        <source>%1 violates the check constraint %2, which was probably added after it was deleted. Fix the row&apos;s values first.
%3</source>
        <translation>%1: %2 CHECK 제약 조건을 위반합니다. 이 제약 조건은 행이 삭제된 뒤에 추가된 것으로 보입니다. 먼저 행의 값을 고치세요.
%3</translation>
    </message>
    <message>
        <source>(unnamed)</source>
        <translation>(이름 없음)</translation>
    </message>
    <message>
        <source>%1 is still referenced through the foreign key %2, which blocks deleting it.
%3</source>
        <translation>%1: 아직 %2 외래 키로 참조되고 있어 삭제할 수 없습니다.
%3</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>%1 is no longer in the trash: someone deleted it permanently.</source>
        <translation>%1: 더 이상 휴지통에 없습니다. 다른 사용자가 영구 삭제했습니다.</translation>
    </message>
    <message>
        <source>%1 was already restored by someone else.</source>
        <translation>%1: 이미 다른 사용자가 복원했습니다.</translation>
    </message>
    <message>
        <source>%1 was restored by someone else; only rows still in the trash are deleted.</source>
        <translation>%1: 다른 사용자가 복원했습니다. 휴지통에 남아 있는 행만 삭제됩니다.</translation>
    </message>
    <message>
        <source>%1 was changed by someone else after the list was read. Refresh the trash and check the row again.</source>
        <translation>%1: 목록을 읽은 뒤 다른 사용자가 변경했습니다. 휴지통을 새로 고치고 행을 다시 확인하세요.</translation>
    </message>
    <message>
        <source>The change could not be recorded in the audit table migrationdesk.audit, so it was not made.
%1</source>
        <translation>변경 내용을 감사 테이블 migrationdesk.audit에 기록할 수 없어 변경하지 않았습니다.
%1</translation>
    </message>
    <message>
        <source>The schedules&apos; employees</source>
        <translation>일정의 담당 직원</translation>
    </message>
    <message>
        <source>Select at least one row.</source>
        <translation>행을 하나 이상 선택하세요.</translation>
    </message>
    <message numerus="yes">
        <source>%1 still has %n schedule(s) (live or in the trash). The foreign key from schedules blocks deleting the employee permanently; restore or delete those schedules first.</source>
        <translation>
            <numerusform>%1에게 아직 일정 %n건이 있습니다(사용 중이거나 휴지통에 있음). schedules의 외래 키 때문에 이 직원을 영구 삭제할 수 없습니다. 먼저 해당 일정을 복원하거나 삭제하세요.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 and %n more</source>
        <translation>
            <numerusform>%1 외 %n개</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Restored %n schedule(s): %1.</source>
        <translation>
            <numerusform>일정 %n건을 복원했습니다: %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Restored %n employee(s): %1.</source>
        <translation>
            <numerusform>직원 %n명을 복원했습니다: %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Also restored %n employee(s): %1.</source>
        <translation>
            <numerusform>직원 %n명도 함께 복원했습니다: %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Deleted %n schedule(s) permanently: %1.</source>
        <translation>
            <numerusform>일정 %n건을 영구 삭제했습니다: %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Deleted %n employee(s) permanently: %1.</source>
        <translation>
            <numerusform>직원 %n명을 영구 삭제했습니다: %1.</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 no longer exists: someone deleted it permanently.</source>
        <translation>%1: 더 이상 없습니다. 다른 사용자가 영구 삭제했습니다.</translation>
    </message>
    <message>
        <source>%1 is already back in the trash.</source>
        <translation>%1: 이미 휴지통으로 돌아가 있습니다.</translation>
    </message>
    <message>
        <source>%1 was changed by someone else after the restore, so the restore cannot be undone. Delete it again from its own view if that is still wanted.</source>
        <translation>%1: 복원한 뒤 다른 사용자가 변경해 복원을 취소할 수 없습니다. 그래도 삭제하려면 해당 보기에서 다시 삭제하세요.</translation>
    </message>
    <message>
        <source>There is no restore to undo.</source>
        <translation>취소할 복원 작업이 없습니다.</translation>
    </message>
    <message>
        <source>Restore undone: %1 moved back to the trash.</source>
        <translation>복원을 취소하고 휴지통으로 되돌렸습니다: %1.</translation>
    </message>
    <message>
        <source>Their employees went back too: %1.</source>
        <translation>담당 직원도 휴지통으로 되돌렸습니다: %1.</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::TrashView</name>
    <message>
        <source>Refresh</source>
        <translation>새로 고침</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>복원</translation>
    </message>
    <message>
        <source>Delete Permanently…</source>
        <translation>영구 삭제…</translation>
    </message>
    <message>
        <source>Schedules</source>
        <translation>일정</translation>
    </message>
    <message>
        <source>Employees</source>
        <translation>직원</translation>
    </message>
    <message>
        <source>Search title or client…</source>
        <translation>제목 또는 고객 검색…</translation>
    </message>
    <message>
        <source>Search name, email or username…</source>
        <translation>이름, 이메일 또는 사용자 이름 검색…</translation>
    </message>
    <message>
        <source>Loading the trash…</source>
        <translation>휴지통을 불러오는 중…</translation>
    </message>
    <message>
        <source>Connect to a database</source>
        <translation>데이터베이스에 연결</translation>
    </message>
    <message>
        <source>The trash could not be opened:
%1</source>
        <translation>휴지통을 열 수 없습니다:
%1</translation>
    </message>
    <message>
        <source>The schedules table does not exist. Upgrade the database to head in Migrations.</source>
        <translation>schedules 테이블이 없습니다. 마이그레이션에서 데이터베이스를 head로 업그레이드하세요.</translation>
    </message>
    <message>
        <source>The employees table does not exist. Upgrade the database to head in Migrations.</source>
        <translation>employees 테이블이 없습니다. 마이그레이션에서 데이터베이스를 head로 업그레이드하세요.</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1(%2)</translation>
    </message>
    <message>
        <source>The session is read-only (default_transaction_read_only or a standby server).</source>
        <translation>세션이 읽기 전용입니다(default_transaction_read_only 또는 대기 서버).</translation>
    </message>
    <message>
        <source>Your role may not change %1 (no UPDATE privilege).</source>
        <translation>현재 역할에는 %1 테이블을 변경할 권한이 없습니다(UPDATE 권한 없음).</translation>
    </message>
    <message>
        <source>Your role may not delete from %1 (no DELETE privilege).</source>
        <translation>현재 역할에는 %1에서 삭제할 권한이 없습니다(DELETE 권한 없음).</translation>
    </message>
    <message>
        <source>Restore the selected rows (they become live again).</source>
        <translation>선택한 행을 복원합니다(다시 사용 상태가 됩니다).</translation>
    </message>
    <message>
        <source>Delete the selected rows permanently, after a typed confirmation.</source>
        <translation>확인 문구를 입력한 뒤 선택한 행을 영구 삭제합니다.</translation>
    </message>
    <message numerus="yes">
        <source>%n selected row(s) are not loaded yet; scroll to them or select fewer rows.</source>
        <translation>
            <numerusform>선택한 행 중 %n개를 아직 불러오지 않았습니다. 해당 행까지 스크롤하거나 더 적게 선택하세요.</numerusform>
        </translation>
    </message>
    <message>
        <source>Checking the schedules&apos; employees…</source>
        <translation>일정의 담당 직원을 확인하는 중…</translation>
    </message>
    <message>
        <source>Restore Employees Too?</source>
        <translation>직원도 복원할까요?</translation>
    </message>
    <message numerus="yes">
        <source>%n employee(s) owning these schedules are in the trash too: %1.

Restore them together with the schedules, in the same transaction?</source>
        <translation>
            <numerusform>이 일정의 담당 직원 %n명도 휴지통에 있습니다: %1.

같은 트랜잭션에서 일정과 함께 복원할까요?</numerusform>
        </translation>
    </message>
    <message>
        <source>Restore Employees Too</source>
        <translation>직원도 복원</translation>
    </message>
    <message>
        <source>Schedules Only</source>
        <translation>일정만 복원</translation>
    </message>
    <message>
        <source>Restore cancelled.</source>
        <translation>복원을 취소했습니다.</translation>
    </message>
    <message numerus="yes">
        <source>Restoring %n row(s)…</source>
        <translation>
            <numerusform>행 %n개를 복원하는 중…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Deleting %n row(s) permanently…</source>
        <translation>
            <numerusform>행 %n개를 영구 삭제하는 중…</numerusform>
        </translation>
    </message>
    <message>
        <source>Trash</source>
        <translation>휴지통</translation>
    </message>
    <message>
        <source>Undo Restore</source>
        <translation>복원 취소</translation>
    </message>
    <message>
        <source>Audit</source>
        <translation>감사 기록</translation>
    </message>
    <message>
        <source>Put the rows of the last restore back in the trash, unless someone changed them since.</source>
        <translation>마지막으로 복원한 행을 휴지통으로 되돌립니다(그 뒤 다른 사용자가 변경하지 않은 경우).</translation>
    </message>
    <message>
        <source>Putting the restored rows back in the trash…</source>
        <translation>복원한 행을 휴지통으로 되돌리는 중…</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::TrashWorker</name>
    <message>
        <source>Not connected.</source>
        <translation>연결되어 있지 않습니다.</translation>
    </message>
</context>
<context>
    <name>MigrationDesk::ViewStack</name>
    <message>
        <source>Migrations</source>
        <translation>마이그레이션</translation>
    </message>
    <message>
        <source>Tables</source>
        <translation>테이블</translation>
    </message>
    <message>
        <source>Schedules</source>
        <translation>일정</translation>
    </message>
    <message>
        <source>Trash</source>
        <translation>휴지통</translation>
    </message>
</context>
<context>
    <name>MigrationScript</name>
    <message>
        <source>the file is not valid UTF-8 (byte offset %1); save it as UTF-8</source>
        <translation>파일이 올바른 UTF-8이 아닙니다(바이트 위치 %1). UTF-8로 저장하세요</translation>
    </message>
    <message>
        <source>a second &apos;-- +upgrade&apos; section</source>
        <translation>&apos;-- +upgrade&apos; 섹션이 두 번 있습니다</translation>
    </message>
    <message>
        <source>a second &apos;-- +downgrade&apos; section</source>
        <translation>&apos;-- +downgrade&apos; 섹션이 두 번 있습니다</translation>
    </message>
    <message>
        <source>SQL before the &apos;-- +upgrade&apos; section; statements belong in a section</source>
        <translation>&apos;-- +upgrade&apos; 섹션 앞에 SQL이 있습니다. 문은 섹션 안에 있어야 합니다</translation>
    </message>
    <message>
        <source>unknown header key &apos;%1&apos; (known keys: %2)</source>
        <translation>알 수 없는 헤더 키 &apos;%1&apos; (알려진 키: %2)</translation>
    </message>
    <message>
        <source>header key &apos;%1&apos; appears twice</source>
        <translation>&apos;%1&apos; 헤더 키가 두 번 나옵니다</translation>
    </message>
    <message>
        <source>missing required header &apos;-- revision: &lt;id&gt;&apos;</source>
        <translation>필수 헤더 &apos;-- revision: &lt;id&gt;&apos;가 없습니다</translation>
    </message>
    <message>
        <source>missing required header &apos;-- down_revision: &lt;id&gt;|none&apos;</source>
        <translation>필수 헤더 &apos;-- down_revision: &lt;id&gt;|none&apos;이 없습니다</translation>
    </message>
    <message>
        <source>revision id &apos;%1&apos; is invalid: use 1 to 32 characters of [0-9a-z_]</source>
        <translation>&apos;%1&apos; 리비전 ID가 올바르지 않습니다. [0-9a-z_] 문자 1~32자를 사용하세요</translation>
    </message>
    <message>
        <source>down_revision &apos;%1&apos; is invalid: use &apos;none&apos;, an id, or a comma-separated list of ids</source>
        <translation>&apos;%1&apos; down_revision 값이 올바르지 않습니다. &apos;none&apos;, ID 하나, 또는 쉼표로 구분한 ID 목록을 사용하세요</translation>
    </message>
    <message>
        <source>down_revision lists &apos;%1&apos; twice</source>
        <translation>down_revision에 &apos;%1&apos; 값이 두 번 있습니다</translation>
    </message>
    <message>
        <source>revision &apos;%1&apos; names itself as its parent</source>
        <translation>&apos;%1&apos; 리비전이 자기 자신을 부모로 지정합니다</translation>
    </message>
    <message>
        <source>transactional must be &apos;true&apos; or &apos;false&apos;, not &apos;%1&apos;</source>
        <translation>transactional 값은 &apos;%1&apos; 값이 아니라 &apos;true&apos;나 &apos;false&apos;여야 합니다</translation>
    </message>
    <message>
        <source>missing section &apos;-- +upgrade&apos;</source>
        <translation>&apos;-- +upgrade&apos; 섹션이 없습니다</translation>
    </message>
    <message>
        <source>missing section &apos;-- +downgrade&apos;</source>
        <translation>&apos;-- +downgrade&apos; 섹션이 없습니다</translation>
    </message>
    <message>
        <source>transaction control (%1) is not allowed in a migration script: the runner runs each revision in a transaction of its own and records the revision in that same transaction. Remove the statement; to commit part of the work first, put it in a revision of its own.</source>
        <translation>마이그레이션 스크립트에서는 트랜잭션 제어(%1)를 쓸 수 없습니다. 러너는 리비전마다 별도의 트랜잭션에서 실행하고 같은 트랜잭션에서 그 리비전을 기록합니다. 이 문을 제거하세요. 작업 일부를 먼저 커밋하려면 그 부분을 별도의 리비전으로 나누세요.</translation>
    </message>
    <message>
        <source>transaction control (%1) is not allowed in a migration script: a non-transactional revision runs each statement on its own (autocommit) and records its progress after each one. Remove the statement; for work that must be atomic, use a transactional revision.</source>
        <translation>마이그레이션 스크립트에서는 트랜잭션 제어(%1)를 쓸 수 없습니다. 트랜잭션 밖에서 실행되는 리비전은 각 문을 따로(autocommit) 실행하고 문마다 진행 상황을 기록합니다. 이 문을 제거하세요. 원자적으로 처리해야 하는 작업에는 트랜잭션 안에서 실행되는 리비전을 사용하세요.</translation>
    </message>
    <message>
        <source>psql meta-commands are not supported (%1): the runner sends each statement to the server, which does not understand them. Put the SQL itself into the script.</source>
        <translation>psql 메타 명령은 지원되지 않습니다(%1). 러너는 각 문을 서버로 보내는데, 서버는 메타 명령을 이해하지 못합니다. SQL 자체를 스크립트에 넣으세요.</translation>
    </message>
    <message>
        <source>savepoints cannot be used in a non-transactional revision: its statements run outside a transaction block</source>
        <translation>트랜잭션 밖에서 실행되는 리비전에서는 세이브포인트를 쓸 수 없습니다. 이 리비전의 문은 트랜잭션 블록 밖에서 실행됩니다</translation>
    </message>
    <message>
        <source>%1 names savepoint &apos;%2&apos;, which this section has not set: a script may only release or roll back to its own savepoints</source>
        <translation>%1: 이 섹션에서 설정하지 않은 &apos;%2&apos; 세이브포인트를 가리킵니다. 스크립트는 자신이 설정한 세이브포인트만 해제하거나 그 지점으로 롤백할 수 있습니다</translation>
    </message>
    <message>
        <source>%1 &apos;%2&apos; is invalid: use a comma-separated list of names without &apos;@&apos; or spaces</source>
        <translation>&apos;%2&apos; %1 값이 올바르지 않습니다. &apos;@&apos; 문자나 공백이 없는 이름을 쉼표로 구분한 목록을 사용하세요</translation>
    </message>
    <message>
        <source>%1 lists &apos;%2&apos; twice</source>
        <translation>%1에 &apos;%2&apos; 값이 두 번 있습니다</translation>
    </message>
    <message>
        <source>revision &apos;%1&apos; depends on itself</source>
        <translation>&apos;%1&apos; 리비전이 자기 자신에 의존합니다</translation>
    </message>
    <message>
        <source>marked for review</source>
        <translation>검토 필요로 표시됨</translation>
    </message>
</context>
<context>
    <name>OfflineRenderer</name>
    <message>
        <source>revision %1 is non-transactional and cannot run inside --single-transaction</source>
        <translation>%1 리비전은 트랜잭션 밖에서 실행되므로 --single-transaction 안에서 실행할 수 없습니다</translation>
    </message>
    <message>
        <source>no script for revision %1</source>
        <translation>리비전 %1의 스크립트가 없습니다</translation>
    </message>
</context>
<context>
    <name>PgConnection</name>
    <message>
        <source>There is no connection to cancel.</source>
        <translation>취소할 연결이 없습니다.</translation>
    </message>
    <message>
        <source>Could not send the cancel request: %1</source>
        <translation>취소 요청을 보낼 수 없습니다: %1</translation>
    </message>
    <message>
        <source>The Qt PostgreSQL driver (QPSQL) is not installed. On Debian or Ubuntu install the package libqt6sql6-psql.</source>
        <translation>Qt PostgreSQL 드라이버(QPSQL)가 설치되어 있지 않습니다. Debian이나 Ubuntu에서는 libqt6sql6-psql 패키지를 설치하세요.</translation>
    </message>
    <message>
        <source>The Qt PostgreSQL driver did not expose its libpq connection.</source>
        <translation>Qt PostgreSQL 드라이버가 libpq 연결을 제공하지 않았습니다.</translation>
    </message>
    <message>
        <source>Not connected to a database.</source>
        <translation>데이터베이스에 연결되어 있지 않습니다.</translation>
    </message>
    <message>
        <source>COPY ... FROM STDIN and COPY ... TO STDOUT cannot run here; use INSERT statements or COPY with a server-side file.</source>
        <translation>COPY ... FROM STDIN과 COPY ... TO STDOUT은 여기서 실행할 수 없습니다. INSERT 문이나 서버 쪽 파일을 쓰는 COPY를 사용하세요.</translation>
    </message>
    <message>
        <source>Parameter $%1 contains a NUL character, which PostgreSQL text cannot hold.</source>
        <translation>매개변수 $%1에 NUL 문자가 있습니다. PostgreSQL 텍스트에는 NUL 문자를 넣을 수 없습니다.</translation>
    </message>
    <message>
        <source>COPY ... FROM STDIN and COPY ... TO STDOUT cannot run here.</source>
        <translation>COPY ... FROM STDIN과 COPY ... TO STDOUT은 여기서 실행할 수 없습니다.</translation>
    </message>
    <message>
        <source>Wrong password: the server at %1 rejected the password for user &quot;%2&quot;. Check the password; in a URL, special characters in it must be percent-encoded.</source>
        <translation>비밀번호 오류: %1의 서버가 사용자 &quot;%2&quot;의 비밀번호를 거부했습니다. 비밀번호를 확인하세요. URL에서는 비밀번호의 특수 문자를 퍼센트 인코딩해야 합니다.</translation>
    </message>
    <message>
        <source>Unknown host: the name &quot;%1&quot; could not be resolved. Check the spelling. A Docker Compose service name such as &quot;postgres&quot; only resolves inside the Compose network; from the host machine use localhost and the published port.</source>
        <translation>알 수 없는 호스트: &quot;%1&quot; 이름을 확인(resolve)할 수 없습니다. 철자를 확인하세요. &quot;postgres&quot; 같은 Docker Compose 서비스 이름은 Compose 네트워크 안에서만 확인됩니다. 호스트 머신에서는 localhost와 게시된 포트를 사용하세요.</translation>
    </message>
    <message>
        <source>Connection refused: no PostgreSQL server is accepting connections at %1. Check that the server is running and that the host and port are right.</source>
        <translation>연결 거부: %1에서 연결을 받는 PostgreSQL 서버가 없습니다. 서버가 실행 중인지, 호스트와 포트가 맞는지 확인하세요.</translation>
    </message>
    <message>
        <source>No PostgreSQL server is running on the local socket (%1). Start the server, or give a host name such as localhost.</source>
        <translation>로컬 소켓(%1)에서 실행 중인 PostgreSQL 서버가 없습니다. 서버를 시작하거나 localhost 같은 호스트 이름을 지정하세요.</translation>
    </message>
    <message>
        <source>Timeout: the server at %1 did not answer within %2 seconds. Check the host, the port, firewalls and VPNs.</source>
        <translation>시간 초과: %1의 서버가 %2초 안에 응답하지 않았습니다. 호스트, 포트, 방화벽과 VPN을 확인하세요.</translation>
    </message>
    <message>
        <source>The server at %1 does not support SSL, but sslmode=%2 requires it. Use sslmode=prefer (or disable), or enable SSL on the server.</source>
        <translation>%1의 서버가 SSL을 지원하지 않는데 sslmode=%2에는 SSL이 필요합니다. sslmode=prefer(또는 disable)를 사용하거나 서버에서 SSL을 켜세요.</translation>
    </message>
    <message>
        <source>sslmode=%1 must verify the server&apos;s certificate, but the root certificate file &quot;%2&quot; does not exist or cannot be read. Set sslrootcert to the CA certificate file, or use sslmode=require to encrypt without verifying.</source>
        <translation>sslmode=%1 설정은 서버 인증서를 검증해야 하는데 &quot;%2&quot; 루트 인증서 파일이 없거나 읽을 수 없습니다. sslrootcert를 CA 인증서 파일로 설정하거나, 검증 없이 암호화하려면 sslmode=require를 사용하세요.</translation>
    </message>
    <message>
        <source>The SSL certificate of the server at %1 could not be verified with the root certificate (sslrootcert). Check that it is the CA that signed the server&apos;s certificate, or use sslmode=require to encrypt without verifying.</source>
        <translation>%1의 서버 SSL 인증서를 루트 인증서(sslrootcert)로 검증할 수 없습니다. 서버 인증서에 서명한 CA가 맞는지 확인하거나, 검증 없이 암호화하려면 sslmode=require를 사용하세요.</translation>
    </message>
    <message>
        <source>The server&apos;s SSL certificate is for a different host name than %1 (sslmode=verify-full). Connect with the name in the certificate.</source>
        <translation>서버의 SSL 인증서가 %1 호스트가 아닌 다른 호스트 이름용입니다(sslmode=verify-full). 인증서에 있는 이름으로 연결하세요.</translation>
    </message>
    <message>
        <source>The database &quot;%1&quot; does not exist on %2. Create it first (for example with createdb) or correct the database name.</source>
        <translation>%2에 &quot;%1&quot; 데이터베이스가 없습니다. 먼저 만들거나(예: createdb) 데이터베이스 이름을 고치세요.</translation>
    </message>
    <message>
        <source>The user (role) &quot;%1&quot; does not exist on %2. Check the user name, or create the role.</source>
        <translation>%2에 &quot;%1&quot; 사용자 역할이 없습니다. 사용자 이름을 확인하거나 역할을 만드세요.</translation>
    </message>
    <message>
        <source>The server at %1 does not allow this connection (no matching pg_hba.conf entry for this host, user, database and SSL setting).</source>
        <translation>%1의 서버가 이 연결을 허용하지 않습니다(이 호스트, 사용자, 데이터베이스, SSL 설정에 맞는 pg_hba.conf 항목이 없음).</translation>
    </message>
    <message>
        <source>The server at %1 has no free connection slots. Try again later or close other connections.</source>
        <translation>%1의 서버에 남은 연결 슬롯이 없습니다. 나중에 다시 시도하거나 다른 연결을 닫으세요.</translation>
    </message>
    <message>
        <source>The server at %1 is starting up or shutting down. Try again shortly.</source>
        <translation>%1의 서버가 시작 중이거나 종료 중입니다. 잠시 후 다시 시도하세요.</translation>
    </message>
    <message>
        <source>The SSL connection to %1 failed.</source>
        <translation>%1에 대한 SSL 연결에 실패했습니다.</translation>
    </message>
    <message>
        <source>Could not connect to %1.</source>
        <translation>%1에 연결할 수 없습니다.</translation>
    </message>
    <message>
        <source>libpq said: %1</source>
        <translation>libpq 메시지: %1</translation>
    </message>
    <message>
        <source>Wrong host name: the server&apos;s SSL certificate is for &quot;%1&quot;, not for the host name you connected to (%2), so sslmode=verify-full refused it. Connect with the name in the certificate.</source>
        <translation>호스트 이름 오류: 서버의 SSL 인증서는 연결한 호스트 이름(%2)이 아니라 &quot;%1&quot;용이므로 sslmode=verify-full이 인증서를 거부했습니다. 인증서에 있는 이름으로 연결하세요.</translation>
    </message>
    <message>
        <source>The server at %1 requires a password, but none was given. Enter it in the Password field, or put it in the URL, set PGPASSWORD, or add it to ~/.pgpass.</source>
        <translation>%1의 서버에 비밀번호가 필요한데 주어지지 않았습니다. 비밀번호 칸에 입력하거나, URL에 넣거나, PGPASSWORD를 설정하거나, ~/.pgpass에 추가하세요.</translation>
    </message>
    <message>
        <source>Out of memory.</source>
        <translation>메모리가 부족합니다.</translation>
    </message>
</context>
<context>
    <name>PgPipeline</name>
    <message>
        <source>Parameter $%1 contains a NUL character, which PostgreSQL text cannot hold.</source>
        <translation>매개변수 $%1에 NUL 문자가 있습니다. PostgreSQL 텍스트에는 NUL 문자를 넣을 수 없습니다.</translation>
    </message>
    <message>
        <source>Not connected to a database.</source>
        <translation>데이터베이스에 연결되어 있지 않습니다.</translation>
    </message>
    <message>
        <source>COPY cannot run in a pipeline.</source>
        <translation>COPY는 파이프라인에서 실행할 수 없습니다.</translation>
    </message>
</context>
<context>
    <name>PgTools</name>
    <message>
        <source>%1 was not found in PATH or /usr/lib/postgresql/*/bin; install the Debian package %2.</source>
        <translation>PATH나 /usr/lib/postgresql/*/bin에서 %1 프로그램을 찾을 수 없습니다. %2 Debian 패키지를 설치하세요.</translation>
    </message>
    <message>
        <source>could not start pg_dump: %1</source>
        <translation>pg_dump를 시작할 수 없습니다: %1</translation>
    </message>
    <message>
        <source>the backup was cancelled</source>
        <translation>백업을 취소했습니다</translation>
    </message>
    <message>
        <source>pg_dump failed (exit code %1): %2</source>
        <translation>pg_dump 실패 (종료 코드 %1): %2</translation>
    </message>
</context>
<context>
    <name>Sandbox</name>
    <message>
        <source>it is not a directory</source>
        <translation>디렉터리가 아닙니다</translation>
    </message>
    <message>
        <source>the postgres system user does not exist</source>
        <translation>postgres 시스템 사용자가 없습니다</translation>
    </message>
    <message>
        <source>it belongs to another user</source>
        <translation>다른 사용자의 소유입니다</translation>
    </message>
    <message>
        <source>Looking for PostgreSQL</source>
        <translation>PostgreSQL을 찾는 중</translation>
    </message>
    <message>
        <source>The sandbox is ready</source>
        <translation>샌드박스가 준비되었습니다</translation>
    </message>
    <message>
        <source>Cannot start the local sandbox: %1</source>
        <translation>로컬 샌드박스를 시작할 수 없습니다: %1</translation>
    </message>
    <message>
        <source>running as root, the server runs as the postgres system user, which does not exist; install the Debian package postgresql, which creates it.</source>
        <translation>root로 실행하면 서버는 postgres 시스템 사용자로 실행되는데, 이 사용자가 없습니다. 이 사용자를 만들어 주는 Debian 패키지 postgresql을 설치하세요.</translation>
    </message>
    <message>
        <source>%1 was not found in %2; install the Debian package postgresql.</source>
        <translation>%2에서 %1 프로그램을 찾을 수 없습니다. Debian 패키지 postgresql을 설치하세요.</translation>
    </message>
    <message>
        <source>No folder is set for the local sandbox.</source>
        <translation>로컬 샌드박스 폴더가 설정되지 않았습니다.</translation>
    </message>
    <message>
        <source>Cannot use %1 for the local sandbox: %2</source>
        <translation>%1 폴더를 로컬 샌드박스로 사용할 수 없습니다: %2</translation>
    </message>
    <message>
        <source>Running as root, the sandbox server runs as the postgres system user, which cannot reach %1. Choose a folder outside /root, for example under /var/tmp.</source>
        <translation>root로 실행하면 샌드박스 서버는 postgres 시스템 사용자로 실행되는데, 이 사용자는 %1에 접근할 수 없습니다. /root 밖의 폴더(예: /var/tmp 아래)를 선택하세요.</translation>
    </message>
    <message>
        <source>Cannot lock the sandbox folder %1.</source>
        <translation>%1 샌드박스 폴더를 잠글 수 없습니다.</translation>
    </message>
    <message>
        <source>Waiting for another MigrationDesk that is starting the sandbox</source>
        <translation>샌드박스를 시작하고 있는 다른 MigrationDesk를 기다리는 중</translation>
    </message>
    <message>
        <source>%1 is not empty but holds no PostgreSQL cluster; remove it to let the sandbox start afresh.</source>
        <translation>%1 폴더가 비어 있지 않지만 PostgreSQL 클러스터가 없습니다. 샌드박스를 새로 시작하려면 이 폴더를 지우세요.</translation>
    </message>
    <message>
        <source>Creating the sandbox cluster (initdb)</source>
        <translation>샌드박스 클러스터를 만드는 중 (initdb)</translation>
    </message>
    <message>
        <source>initdb could not create the sandbox cluster in %1:
%2</source>
        <translation>initdb가 %1에 샌드박스 클러스터를 만들지 못했습니다:
%2</translation>
    </message>
    <message>
        <source>Cannot write the sandbox&apos;s configuration in %1.</source>
        <translation>%1에 샌드박스 설정을 쓸 수 없습니다.</translation>
    </message>
    <message>
        <source>Cannot use %1 for the sandbox&apos;s Unix socket: %2</source>
        <translation>%1 경로를 샌드박스의 Unix 소켓으로 사용할 수 없습니다: %2</translation>
    </message>
    <message>
        <source>Starting the sandbox server</source>
        <translation>샌드박스 서버를 시작하는 중</translation>
    </message>
    <message>
        <source>Cannot find a free TCP port on 127.0.0.1 for the sandbox.</source>
        <translation>127.0.0.1에서 샌드박스에 쓸 빈 TCP 포트를 찾을 수 없습니다.</translation>
    </message>
    <message>
        <source>pg_ctl could not start the sandbox on port %1:
%2
Server log:
%3</source>
        <translation>pg_ctl이 포트 %1에서 샌드박스를 시작하지 못했습니다:
%2
서버 로그:
%3</translation>
    </message>
    <message>
        <source>Cannot look for the sandbox database: %1</source>
        <translation>샌드박스 데이터베이스를 조회할 수 없습니다: %1</translation>
    </message>
    <message>
        <source>Cannot create the sandbox database: %1</source>
        <translation>샌드박스 데이터베이스를 만들 수 없습니다: %1</translation>
    </message>
    <message>
        <source>Upgrading the sandbox database to head</source>
        <translation>샌드박스 데이터베이스를 head까지 업그레이드하는 중</translation>
    </message>
    <message>
        <source>The bundled migrations are broken:
%1</source>
        <translation>내장 마이그레이션이 손상되었습니다:
%1</translation>
    </message>
    <message>
        <source>Upgrading the sandbox database: %1</source>
        <translation>샌드박스 데이터베이스 업그레이드 중: %1</translation>
    </message>
    <message>
        <source>Cannot upgrade the sandbox database to head: %1</source>
        <translation>샌드박스 데이터베이스를 head까지 업그레이드할 수 없습니다: %1</translation>
    </message>
    <message>
        <source>Filling the sandbox with demo data</source>
        <translation>샌드박스에 데모 데이터를 채우는 중</translation>
    </message>
    <message>
        <source>Cannot fill the sandbox with demo data: %1</source>
        <translation>샌드박스에 데모 데이터를 채울 수 없습니다: %1</translation>
    </message>
    <message>
        <source>Stopping the sandbox server</source>
        <translation>샌드박스 서버를 중지하는 중</translation>
    </message>
    <message>
        <source>The sandbox server is stopped</source>
        <translation>샌드박스 서버가 중지되었습니다</translation>
    </message>
    <message>
        <source>pg_ctl could not stop the sandbox:
%1</source>
        <translation>pg_ctl이 샌드박스를 중지하지 못했습니다:
%1</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>%1에 쓸 수 없습니다: %2</translation>
    </message>
    <message>
        <source>cannot run %1: %2</source>
        <translation>%1 프로그램을 실행할 수 없습니다: %2</translation>
    </message>
    <message>
        <source>%1 did not finish within %2 s</source>
        <translation>%1 프로그램이 %2초 안에 끝나지 않았습니다</translation>
    </message>
    <message>
        <source>(no server log)</source>
        <translation>(서버 로그 없음)</translation>
    </message>
    <message>
        <source>Starting the sandbox was cancelled.</source>
        <translation>샌드박스 시작을 취소했습니다.</translation>
    </message>
    <message>
        <source>Preparing the database %1</source>
        <translation>%1 데이터베이스를 준비하는 중</translation>
    </message>
    <message>
        <source>The sandbox needs a password for connections over TCP.</source>
        <translation>샌드박스에 TCP로 연결하려면 비밀번호가 필요합니다.</translation>
    </message>
    <message>
        <source>Cannot prepare the sandbox&apos;s password: %1</source>
        <translation>샌드박스 비밀번호를 준비할 수 없습니다: %1</translation>
    </message>
    <message>
        <source>Cannot set the sandbox&apos;s password: %1</source>
        <translation>샌드박스 비밀번호를 설정할 수 없습니다: %1</translation>
    </message>
</context>
<context>
    <name>ScheduleName</name>
    <message>
        <source>Schedule %1</source>
        <translation>일정 %1</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1(%2)</translation>
    </message>
</context>
<context>
    <name>ScriptSet</name>
    <message>
        <source>the migrations folder does not exist</source>
        <translation>마이그레이션 폴더가 없습니다</translation>
    </message>
    <message>
        <source>cannot read the file: %1</source>
        <translation>파일을 읽을 수 없습니다: %1</translation>
    </message>
    <message>
        <source>duplicate revision id &apos;%1&apos;, already used by %2</source>
        <translation>&apos;%1&apos; 리비전 ID가 중복됩니다. 이미 %2에서 사용합니다</translation>
    </message>
    <message>
        <source>Revision %1 (%2) needs review before it can run: %3. Translate it by hand, then delete its needs_review header. Nothing was changed.</source>
        <translation>%1 리비전(%2)을 실행하려면 먼저 검토해야 합니다: %3. 직접 SQL로 옮긴 뒤 needs_review 헤더를 삭제하세요. 아무것도 바꾸지 않았습니다.</translation>
    </message>
</context>
<context>
    <name>ScriptWriter</name>
    <message>
        <source>the message must be a single line</source>
        <translation>메시지는 한 줄이어야 합니다</translation>
    </message>
    <message>
        <source>revision id &apos;%1&apos; is invalid: use 1 to 32 characters of [0-9a-z_]</source>
        <translation>&apos;%1&apos; 리비전 ID가 올바르지 않습니다. [0-9a-z_] 문자 1~32자를 사용하세요</translation>
    </message>
    <message>
        <source>revision id &apos;%1&apos; is already used</source>
        <translation>&apos;%1&apos; 리비전 ID는 이미 사용 중입니다</translation>
    </message>
    <message>
        <source>parent revision &apos;%1&apos; does not exist</source>
        <translation>부모 &apos;%1&apos; 리비전이 없습니다</translation>
    </message>
    <message>
        <source>%1 already exists</source>
        <translation>%1: 이미 있습니다</translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation>%1에 쓸 수 없습니다: %2</translation>
    </message>
</context>
<context>
    <name>VersionTable</name>
    <message>
        <source>invalid version table name &apos;%1&apos;: use letters, digits and underscores, optionally as schema.table</source>
        <translation>&apos;%1&apos; 버전 테이블 이름이 올바르지 않습니다. 문자, 숫자, 밑줄을 사용하고, 필요하면 schema.table 형식으로 쓰세요</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>%1 needs a value.</source>
        <translation>%1에는 값이 필요합니다.</translation>
    </message>
    <message>
        <source>Invalid --url: %1</source>
        <translation>잘못된 --url: %1</translation>
    </message>
    <message>
        <source>--migrations: the folder %1 does not exist.</source>
        <translation>--migrations: %1 폴더가 없습니다.</translation>
    </message>
    <message>
        <source>Invalid --version-table: %1</source>
        <translation>잘못된 --version-table: %1</translation>
    </message>
    <message>
        <source>Unknown option %1.</source>
        <translation>알 수 없는 옵션 %1.</translation>
    </message>
    <message>
        <source>Unexpected argument %1.</source>
        <translation>예상치 못한 인수 %1.</translation>
    </message>
    <message>
        <source>--table opens the tables view; it cannot be combined with --view %1.</source>
        <translation>--table은 tables 보기를 엽니다. --view %1 옵션과 함께 쓸 수 없습니다.</translation>
    </message>
    <message>
        <source>--schema needs --table.</source>
        <translation>--schema에는 --table이 필요합니다.</translation>
    </message>
    <message>
        <source>Try migrationdesk --help.</source>
        <translation>자세한 내용은 migrationdesk --help를 실행하세요.</translation>
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
        <translation>사용법: migrationdesk [옵션]

MigrationDesk 데스크톱 앱: 리비전 타임라인으로 보는 PostgreSQL 스키마 마이그레이션.

옵션:
  --url URL              시작할 때 연결할 postgresql://user@host:port/db?sslmode=...
  --profile NAME         저장된 연결 프로필 (둘 다 주면 --url이 우선)
  --sandbox              전용 로컬 PostgreSQL을 시작하고 연결 (처음 사용할 때 생성하고
                         마이그레이션한 뒤 데모 데이터를 채움)
  --migrations DIR       마이그레이션 스크립트 (기본값: 내장 스크립트)
  --version-table NAME   버전 테이블, [schema.]name (기본값: alembic_version)
  --view VIEW            표시할 보기: migrations, tables, schedules, calendar (일정을
                         주 단위로 표시) 또는 trash
  --table NAME           --view tables와 함께: 이 테이블을 엶 (SQL 따옴표 없이
                         카탈로그에 저장된 이름 그대로)
  --schema SCHEMA        --table의 스키마 (기본값: search path)
  --version              버전을 출력하고 종료
  -h, --help             이 도움말을 출력하고 종료

--url이나 --profile이 없으면 migrationdesk-cli와 마찬가지로 환경 변수에서 연결 정보를
가져옵니다: DATABASE_URL, 다음으로 POSTGRES_USER/PASSWORD/DB/HOST/PORT(바로 연결),
둘 다 없으면 libpq의 PG* 변수로 연결 대화 상자를 미리 채웁니다.
Qt 자체 옵션(-platform NAME, -style NAME, ...)은 Qt로 전달됩니다.
</translation>
    </message>
    <message>
        <source>--view must be migrations, tables, schedules, calendar or trash, not &quot;%1&quot;.</source>
        <translation>--view에는 &quot;%1&quot; 값이 아니라 migrations, tables, schedules, calendar, trash 중 하나를 지정해야 합니다.</translation>
    </message>
</context>
</TS>
