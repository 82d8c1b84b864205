#pragma once

#include "db/connectionsettings.h"

#include <QHash>
#include <QObject>
#include <QString>

class QLineEdit;

namespace MigrationDesk {

// Notices a postgresql:// URL pasted or typed into one of the connection form's fields and reads it
// with ConnectionUrl, so the whole form can be filled from it. A URL that does not parse is taken back
// out of the field (which keeps its earlier text) and reported. GUI thread.
class UrlPasteWatcher : public QObject
{
    Q_OBJECT

public:
    explicit UrlPasteWatcher(QObject *parent = nullptr);

    // Watches edit from now on: Ctrl+V (before the field's validator can refuse the text) and edits.
    void watch(QLineEdit *edit);
    // Where a postgresql://, postgres:// or postgresql+<driver>:// URL starts in text; -1 if none does.
    static qsizetype urlStart(const QString &text);

Q_SIGNALS:
    // The settings in the URL, its password included (for the connection only, never for settings).
    void urlPasted(const MigrationDesk::ConnectionSettings &settings);
    // The URL could not be read; the field was left as it was. message never repeats the URL.
    void urlRejected(const QString &message);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    // Reads the URL and emits urlPasted or urlRejected.
    void handle(const QString &url);
    void onEdited(QLineEdit *edit, const QString &text);

    QHash<QLineEdit *, QString> m_lastText; // each field's text before the current edit
};

} // namespace MigrationDesk
