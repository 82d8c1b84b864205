#pragma once

#include <QList>
#include <QPointer>
#include <QWidget>

class QDialog;
class QFrame;
class QLabel;
class QMainWindow;

namespace MigrationDesk {

// Shows a dialog as a sheet inside its main window, over the dimmed central area, instead of as a
// window of its own. The connection dialog opens this way on every launch: a second window would cost
// a second backing store (~1.9 MB of shared memory at that dialog's size) and could fall behind the
// main window. While the sheet is up the window's menus, toolbars and views take no input, as under a
// window-modal dialog. GUI thread.
class DialogSheet : public QWidget
{
    Q_OBJECT

public:
    // Puts dialog (not shown yet) on a new sheet over window's central widget and opens it. The sheet
    // and the dialog go when the dialog finishes; the window's input comes back then.
    static DialogSheet *open(QDialog *dialog, QMainWindow *window);

    ~DialogSheet() override;

    QDialog *dialog() const { return m_dialog; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    DialogSheet(QDialog *dialog, QMainWindow *window);
    void place();
    void blockWindow();
    void unblockWindow();

    QMainWindow *m_window;
    QPointer<QDialog> m_dialog;
    QFrame *m_panel = nullptr;
    QLabel *m_title = nullptr;
    QList<QPointer<QWidget>> m_blocked;
};

} // namespace MigrationDesk
