#include "migrations/alembicimportdialog.h"

#include "base/workerthreads.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

enum Column { RevisionColumn, LabelsColumn, MessageColumn, StatusColumn, ColumnCount };

// A field with its Browse button: the field is what counts (tests fill it), the button helps a person.
QWidget *withBrowse(QLineEdit *edit, QPushButton *browse, QWidget *parent)
{
    auto *row = new QWidget(parent);
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(edit, 1);
    layout->addWidget(browse);
    return row;
}

} // namespace

AlembicImportDialog::AlembicImportDialog(WorkerThreads &threads, const QString &profileName, QWidget *parent)
    : QDialog(parent)
    , m_threads(threads)
    , m_profile(profileName)
{
    setObjectName(u"alembicImportDialog"_s);
    setWindowTitle(tr("Import Alembic Project"));
    resize(820, 560);
    auto *layout = new QVBoxLayout(this);

    auto *intro = new QLabel(tr("Alembic renders each revision's upgrade and downgrade as SQL, offline; nothing "
                                "connects to a database. The scripts keep every revision id, branch label and "
                                "dependency."),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_ini = new QLineEdit(this);
    m_ini->setObjectName(u"alembicIniEdit"_s);
    m_ini->setPlaceholderText(tr("the project's alembic.ini, or the folder holding it"));
    auto *browseIni = new QPushButton(tr("Browse…"), this);
    browseIni->setObjectName(u"browseIniButton"_s);
    form->addRow(tr("Alembic project:"), withBrowse(m_ini, browseIni, this));
    m_output = new QLineEdit(this);
    m_output->setObjectName(u"outputFolderEdit"_s);
    m_output->setPlaceholderText(tr("an empty folder for the MigrationDesk scripts"));
    auto *browseOutput = new QPushButton(tr("Browse…"), this);
    browseOutput->setObjectName(u"browseOutputButton"_s);
    form->addRow(tr("Output folder:"), withBrowse(m_output, browseOutput, this));
    m_python = new QLineEdit(this);
    m_python->setObjectName(u"pythonEdit"_s);
    m_python->setPlaceholderText(tr("automatic: the Python that runs alembic on PATH, else python3"));
    form->addRow(tr("Python:"), m_python);
    layout->addLayout(form);

    m_progressRow = new QWidget(this);
    auto *progressLayout = new QHBoxLayout(m_progressRow);
    progressLayout->setContentsMargins(0, 0, 0, 0);
    m_progress = new QProgressBar(m_progressRow);
    m_progress->setObjectName(u"importProgress"_s);
    m_progress->setRange(0, 0); // busy: the helper reports the project only once it has read it all
    m_progress->setMaximumWidth(160);
    m_step = new QLabel(m_progressRow);
    m_step->setObjectName(u"importStep"_s);
    progressLayout->addWidget(m_progress);
    progressLayout->addWidget(m_step, 1);
    m_progressRow->hide();
    layout->addWidget(m_progressRow);

    m_message = new QLabel(this);
    m_message->setObjectName(u"importMessage"_s);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->hide();
    layout->addWidget(m_message);

    m_table = new QTableWidget(0, ColumnCount, this);
    m_table->setObjectName(u"importRevisionsTable"_s);
    m_table->setHorizontalHeaderLabels({tr("Revision"), tr("Branch labels"), tr("Message"), tr("Status")});
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->hide();
    // The status takes the rest of the width; a long reason is elided there and whole in the tooltip.
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(StatusColumn, QHeaderView::Stretch);
    m_table->setWordWrap(false);
    layout->addWidget(m_table, 1);

    m_sourceNote = new QLabel(this);
    m_sourceNote->setObjectName(u"sourceNote"_s);
    m_sourceNote->setWordWrap(true);
    m_sourceNote->hide();
    layout->addWidget(m_sourceNote);

    auto *buttons = new QDialogButtonBox(this);
    m_importButton = buttons->addButton(tr("Import"), QDialogButtonBox::ActionRole);
    m_importButton->setObjectName(u"importButton"_s);
    m_importButton->setDefault(true);
    m_cancelButton = buttons->addButton(tr("Cancel Import"), QDialogButtonBox::ActionRole);
    m_cancelButton->setObjectName(u"cancelImportButton"_s);
    m_openButton = buttons->addButton(tr("Open as Migration Source"), QDialogButtonBox::AcceptRole);
    m_openButton->setObjectName(u"openAsSourceButton"_s);
    m_closeButton = buttons->addButton(QDialogButtonBox::Close);
    layout->addWidget(buttons);

    connect(browseIni, &QPushButton::clicked, this, &AlembicImportDialog::browseIni);
    connect(browseOutput, &QPushButton::clicked, this, &AlembicImportDialog::browseOutput);
    connect(m_importButton, &QPushButton::clicked, this, &AlembicImportDialog::startImport);
    connect(m_cancelButton, &QPushButton::clicked, this, &AlembicImportDialog::cancelImport);
    connect(m_openButton, &QPushButton::clicked, this, [this] {
        Q_EMIT openAsSourceRequested(m_result.outDir);
        accept();
    });
    connect(m_closeButton, &QPushButton::clicked, this, &QDialog::reject);
    setRunning(false);
}

AlembicImportDialog::~AlembicImportDialog()
{
    // Closed mid-import: the worker's interrupt kills Python, and its thread ends without us.
    if (m_worker)
        m_threads.retire(m_worker);
}

void AlembicImportDialog::browseIni()
{
    const QString file = QFileDialog::getOpenFileName(this, tr("Choose the project's alembic.ini"), m_ini->text(),
                                                      tr("Alembic configuration (*.ini);;All files (*)"));
    if (file.isEmpty())
        return;
    m_ini->setText(QDir::toNativeSeparators(file));
    if (m_output->text().isEmpty())
        m_output->setText(QDir::toNativeSeparators(QFileInfo(file).absolutePath() + u"/migrationdesk"_s));
}

void AlembicImportDialog::browseOutput()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Choose the folder for the scripts"),
                                                          m_output->text());
    if (!dir.isEmpty())
        m_output->setText(QDir::toNativeSeparators(dir));
}

void AlembicImportDialog::startImport()
{
    if (m_worker)
        return;
    const QString ini = QDir::fromNativeSeparators(m_ini->text().trimmed());
    const QString output = QDir::fromNativeSeparators(m_output->text().trimmed());
    if (ini.isEmpty() || !QFileInfo::exists(ini)) {
        showMessage(ini.isEmpty() ? tr("Choose the project's alembic.ini, or the folder holding it.")
                                  : tr("%1 does not exist.").arg(ini),
                    true);
        return;
    }
    if (output.isEmpty()) {
        showMessage(tr("Choose an empty folder to write the scripts into."), true);
        return;
    }
    m_result = AlembicImportResult();
    m_table->setRowCount(0);
    m_message->hide();
    m_sourceNote->hide();

    auto *worker = new AlembicImportWorker;
    m_worker = m_threads.start(worker, u"AlembicImport"_s, [worker] { worker->cancel(); });
    connect(worker, &AlembicImportWorker::stepStarted, this, &AlembicImportDialog::onStep);
    connect(worker, &AlembicImportWorker::finished, this, &AlembicImportDialog::onFinished);
    setRunning(true);
    m_step->setText(tr("Starting Python…"));
    const QString python = m_python->text().trimmed();
    const QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    QMetaObject::invokeMethod(
        worker, [worker, ini, output, python, env] { worker->run(ini, output, python, env); }, Qt::QueuedConnection);
}

void AlembicImportDialog::cancelImport()
{
    if (!m_worker)
        return;
    m_worker->cancel(); // thread-safe; the worker answers with a cancelled result
    m_step->setText(tr("Cancelling…"));
    m_cancelButton->setEnabled(false);
}

void AlembicImportDialog::onStep(AlembicImportWorker::Step step)
{
    switch (step) {
    case AlembicImportWorker::Step::Reading:
        m_step->setText(tr("Alembic is reading and rendering every revision…"));
        break;
    case AlembicImportWorker::Step::Writing:
        m_step->setText(tr("Writing the scripts…"));
        break;
    case AlembicImportWorker::Step::Checking:
        m_step->setText(tr("Checking that the scripts load…"));
        break;
    }
}

void AlembicImportDialog::onFinished(const AlembicImportResult &result)
{
    if (m_worker)
        m_threads.retire(m_worker);
    m_worker = nullptr;
    m_result = result;
    setRunning(false);
    if (result.project && !result.files.isEmpty())
        fillTable(*result.project);
    if (result.cancelled) {
        showMessage(tr("The import was cancelled; nothing was written."), false);
        return;
    }
    if (!result.ok()) {
        showMessage(result.error, true);
        return;
    }
    const AlembicProject &project = *result.project;
    const int review = project.needsReviewCount();
    QString text = tr("Imported %n revision(s) into %1 (Alembic %2). ", nullptr, int(project.revisions.size()))
                       .arg(QDir::toNativeSeparators(result.outDir), project.alembicVersion)
                   + tr("Heads: %1.").arg(project.heads.join(u", "_s));
    if (review > 0)
        text += u" "_s + tr("%n revision(s) need review: translate each by hand, then delete its needs_review "
                            "header. Until then they cannot be run or stamped.",
                            nullptr, review);
    showMessage(text, false);
    m_sourceNote->setText(
        m_profile.isEmpty()
            ? tr("Open the folder as the migration source for this session. Connect through a saved profile to "
                 "have it remembered.")
            : tr("Open the folder as the migration source; it will be remembered for the connection profile "
                 "“%1”.")
                  .arg(m_profile));
    m_sourceNote->show();
    m_openButton->setEnabled(true);
    m_openButton->setDefault(true);
}

void AlembicImportDialog::showMessage(const QString &text, bool problem)
{
    m_message->setText(problem ? tr("Nothing was imported: %1").arg(text) : text);
    // The palette's own colours: a problem is bold, not a fixed red that a dark theme could swallow.
    QFont font = m_message->font();
    font.setBold(problem);
    m_message->setFont(font);
    m_message->show();
}

void AlembicImportDialog::fillTable(const AlembicProject &project)
{
    m_table->setRowCount(int(project.revisions.size()));
    for (int row = 0; row < project.revisions.size(); ++row) {
        const ImportedRevision &r = project.revisions.at(row);
        const QString file = QFileInfo(result().files.value(row)).fileName();
        auto *revision = new QTableWidgetItem(r.revision);
        revision->setToolTip(file);
        m_table->setItem(row, RevisionColumn, revision);
        m_table->setItem(row, LabelsColumn, new QTableWidgetItem(r.branchLabels.join(u", "_s)));
        m_table->setItem(row, MessageColumn, new QTableWidgetItem(r.message));
        const bool rendered = r.needsReview.isEmpty();
        auto *status = new QTableWidgetItem(rendered ? tr("Rendered") : tr("Needs review: %1").arg(r.needsReview));
        status->setToolTip(rendered ? tr("Rendered faithfully into %1").arg(file)
                                    : tr("%1 keeps the Python source as comments.\n%2").arg(file, r.needsReview));
        status->setData(Qt::UserRole, rendered ? u"rendered"_s : u"needs_review"_s);
        if (!rendered) {
            QFont bold = status->font();
            bold.setBold(true);
            status->setFont(bold);
        }
        m_table->setItem(row, StatusColumn, status);
    }
}

void AlembicImportDialog::setRunning(bool running)
{
    m_progressRow->setVisible(running);
    m_importButton->setEnabled(!running);
    m_cancelButton->setEnabled(running);
    m_cancelButton->setVisible(running);
    m_openButton->setEnabled(!running && m_result.ok());
    m_ini->setEnabled(!running);
    m_output->setEnabled(!running);
    m_python->setEnabled(!running);
}

} // namespace MigrationDesk
