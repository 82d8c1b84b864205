// Linked into every executable of a -DMIGRATIONDESK_SANITIZE=thread build only. Debian's Qt is not
// instrumented, so ThreadSanitizer cannot see the lock inside Qt's event queue that orders a queued call
// or signal before its delivery on the receiving thread, and reports the handed-over data as a race in
// our code. This tells it about that one edge: each post from our code (a signal, invokeMethod, postEvent,
// reached through the linker's --wrap) releases a token that every event delivery acquires (Qt's own
// EventNotifyCallback, called on the receiving thread before the event is handled), and a finished
// QThread::wait() acquires it too. Everything else, our own mutexes and atomics included, TSan sees as is.
#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QMetaObject>
#include <QThread>

extern "C" void __tsan_acquire(void *addr);
extern "C" void __tsan_release(void *addr);

namespace {

char handoff; // the token: one for all queues, which is coarser than Qt's per-thread queues, never finer

bool onEventDelivery(void **)
{
    __tsan_acquire(&handoff);
    return false; // deliver as usual
}

// Before main(), before any thread exists: Qt reads the callback list without a lock.
const bool installed = QInternal::registerCallback(QInternal::EventNotifyCallback, onEventDelivery);

} // namespace

extern "C" {

void __real__ZN11QMetaObject8activateEP7QObjectPKS_iPPv(QObject *, const QMetaObject *, int, void **);
void __wrap__ZN11QMetaObject8activateEP7QObjectPKS_iPPv(QObject *sender, const QMetaObject *m, int index, void **argv)
{
    __tsan_release(&handoff);
    __real__ZN11QMetaObject8activateEP7QObjectPKS_iPPv(sender, m, index, argv);
}

bool __real__ZN11QMetaObject16invokeMethodImplEP7QObjectPN9QtPrivate15QSlotObjectBaseEN2Qt14ConnectionTypeEPv(
    QObject *, QtPrivate::QSlotObjectBase *, Qt::ConnectionType, void *);
bool __wrap__ZN11QMetaObject16invokeMethodImplEP7QObjectPN9QtPrivate15QSlotObjectBaseEN2Qt14ConnectionTypeEPv(
    QObject *object, QtPrivate::QSlotObjectBase *slot, Qt::ConnectionType type, void *ret)
{
    __tsan_release(&handoff);
    const bool ok =
        __real__ZN11QMetaObject16invokeMethodImplEP7QObjectPN9QtPrivate15QSlotObjectBaseEN2Qt14ConnectionTypeEPv(
            object, slot, type, ret);
    // A blocking queued call returns after the slot ran on the other thread.
    __tsan_acquire(&handoff);
    return ok;
}

void __real__ZN16QCoreApplication9postEventEP7QObjectP6QEventi(QObject *, QEvent *, int);
void __wrap__ZN16QCoreApplication9postEventEP7QObjectP6QEventi(QObject *receiver, QEvent *event, int priority)
{
    __tsan_release(&handoff);
    __real__ZN16QCoreApplication9postEventEP7QObjectP6QEventi(receiver, event, priority);
}

bool __real__ZN7QThread4waitE14QDeadlineTimer(QThread *, QDeadlineTimer);
bool __wrap__ZN7QThread4waitE14QDeadlineTimer(QThread *thread, QDeadlineTimer deadline)
{
    const bool ended = __real__ZN7QThread4waitE14QDeadlineTimer(thread, deadline);
    __tsan_acquire(&handoff);
    return ended;
}

} // extern "C"
