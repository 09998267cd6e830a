/* The socket chardev backend: unix or TCP, server or client, or an fd. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "chardev/char-io.h"
#include "util/cutils.h"
#include "util/error.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/*
 * Output that a slow client has not taken yet waits in a buffer, so that
 * no writer (the main loop answering QMP, a vCPU thread feeding a serial
 * port) ever blocks on one client.  A client that lets this much pile up
 * (beyond one large message) is dropped.
 */
#define SOCKET_OUTBUF_MAX (16u * 1024 * 1024)

typedef struct {
    Chardev parent_instance;
    int listen_fd;          /* server: the listening socket, else -1 */
    int client_fd;          /* the connected peer, or -1 */
    GSource *listen_src;
    CharReader reader;
    GByteArray *outbuf;     /* unsent output (write_lock) */
    GSource *out_src;       /* flushes outbuf when the socket has room */
    char *unlink_path;      /* a unix socket we bound, removed at the end */
    bool is_server;
} ChardevSocket;
typedef ChardevClass ChardevSocketClass;

CG_DEFINE_TYPE(ChardevSocket, chardev_socket, "chardev-socket",
               CG_TYPE_CHARDEV)

static void socket_listen_arm(ChardevSocket *s);

static void socket_client_gone(Chardev *chr)
{
    ChardevSocket *s = (ChardevSocket *)chr;

    char_reader_stop(&s->reader);
    g_mutex_lock(&chr->write_lock);
    if (s->out_src != NULL) {
        g_source_destroy(s->out_src);
        g_source_unref(s->out_src);
        s->out_src = NULL;
    }
    g_byte_array_set_size(s->outbuf, 0);
    if (s->client_fd >= 0) {
        close(s->client_fd);
        s->client_fd = -1;
    }
    g_mutex_unlock(&chr->write_lock);
    chardev_set_connected(chr, false);
    if (s->is_server) {
        socket_listen_arm(s);
    }
}

static void socket_set_client(ChardevSocket *s, int fd)
{
    int one = 1;

    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    g_mutex_lock(&s->parent_instance.write_lock);
    s->client_fd = fd;
    g_mutex_unlock(&s->parent_instance.write_lock);
    char_reader_start(&s->reader, &s->parent_instance, fd,
                      socket_client_gone);
    chardev_set_connected(&s->parent_instance, true);
}

static gboolean socket_accept_ready(gint fd, GIOCondition cond,
                                    gpointer opaque)
{
    ChardevSocket *s = opaque;
    int c = accept4(fd, NULL, NULL, SOCK_CLOEXEC);

    if (c < 0) {
        return G_SOURCE_CONTINUE; /* spurious wakeup or aborted client */
    }
    /* One client at a time; the others wait in the backlog. */
    s->listen_src = NULL;
    socket_set_client(s, c);
    return G_SOURCE_REMOVE;
}

static void socket_listen_arm(ChardevSocket *s)
{
    if (s->listen_src != NULL || s->listen_fd < 0) {
        return;
    }
    s->listen_src = g_unix_fd_source_new(s->listen_fd, G_IO_IN);
    g_source_set_callback(s->listen_src, G_SOURCE_FUNC(socket_accept_ready),
                          s, NULL);
    g_source_attach(s->listen_src, NULL);
    g_source_unref(s->listen_src);
}

static bool parse_bool_opt(const CgOpts *opts, const char *key, bool dflt,
                           bool *out, GError **err)
{
    const char *v = cg_opts_get(opts, key);

    *out = dflt;
    if (v != NULL && !cg_parse_bool(v, out)) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "'%s' expects on or off, got '%s'", key, v);
        return false;
    }
    return true;
}

static int open_unix(ChardevSocket *s, const char *path, bool server,
                     GError **err)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int fd;

    if (strlen(path) >= sizeof(sa.sun_path)) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "socket path '%s' is longer than the %zu bytes a unix "
                    "socket allows; use a shorter path", path,
                    sizeof(sa.sun_path) - 1);
        return -1;
    }
    strcpy(sa.sun_path, path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "cannot create a unix socket: %s", g_strerror(errno));
        return -1;
    }
    if (server) {
        unlink(path);
        if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
            listen(fd, 8) < 0) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "cannot listen on unix socket '%s': %s", path,
                        g_strerror(errno));
            close(fd);
            return -1;
        }
        s->unlink_path = g_strdup(path);
    } else if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "cannot connect to unix socket '%s': %s; start the "
                    "server first or add server=on", path,
                    g_strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

static int open_tcp(const char *host, const char *port, bool server,
                    GError **err)
{
    struct addrinfo hints = { .ai_socktype = SOCK_STREAM,
                              .ai_flags = server ? AI_PASSIVE : 0 };
    struct addrinfo *res = NULL;
    int fd = -1, one = 1, rc;

    rc = getaddrinfo(*host ? host : NULL, port, &hints, &res);
    if (rc != 0) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "cannot resolve '%s:%s': %s", host, port,
                    gai_strerror(rc));
        return -1;
    }
    for (struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
                    ai->ai_protocol);
        if (fd < 0) {
            continue;
        }
        if (server) {
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
            if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 &&
                listen(fd, 8) == 0) {
                break;
            }
        } else if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
            break;
        }
        rc = errno;
        close(fd);
        fd = -1;
        errno = rc;
    }
    if (fd < 0) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "cannot %s %s:%s: %s", server ? "listen on" : "connect to",
                    host, port, g_strerror(errno));
    }
    freeaddrinfo(res);
    return fd;
}

static int use_inherited_fd(const char *text, bool server, GError **err)
{
    uint64_t n;
    int type = 0, listening = 0;
    socklen_t len = sizeof(type);

    if (!cg_parse_uint64(text, &n) || n > G_MAXINT) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "'fd' expects a file descriptor number, got '%s'", text);
        return -1;
    }
    if (fcntl((int)n, F_GETFD) < 0) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "fd=%s is not an open file descriptor of this process; "
                    "pass it to cgemu without close-on-exec", text);
        return -1;
    }
    if (getsockopt((int)n, SOL_SOCKET, SO_TYPE, &type, &len) < 0 ||
        type != SOCK_STREAM) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "fd=%s is not a stream socket", text);
        return -1;
    }
    len = sizeof(listening);
    getsockopt((int)n, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len);
    if (server && !listening) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "fd=%s is not a listening socket, but server=on; call "
                    "listen() on it first or drop server=on", text);
        return -1;
    }
    if (!server && listening) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "fd=%s is a listening socket; add server=on", text);
        return -1;
    }
    fcntl((int)n, F_SETFD, FD_CLOEXEC);
    return (int)n;
}

static bool socket_open(Chardev *chr, const CgOpts *opts, GError **err)
{
    static const char *const allowed[] = { "path", "host", "port", "fd",
                                           "server", "wait", "nodelay",
                                           NULL };
    ChardevSocket *s = (ChardevSocket *)chr;
    const char *path = cg_opts_get(opts, "path");
    const char *host = cg_opts_get(opts, "host");
    const char *port = cg_opts_get(opts, "port");
    const char *fdtext = cg_opts_get(opts, "fd");
    bool server, wait, nodelay;
    int fd;

    if (!chardev_check_opts(chr, opts, allowed, err) ||
        !parse_bool_opt(opts, "server", false, &server, err) ||
        !parse_bool_opt(opts, "wait", true, &wait, err) ||
        !parse_bool_opt(opts, "nodelay", false, &nodelay, err)) {
        return false;
    }
    if ((path != NULL) + (port != NULL) + (fdtext != NULL) != 1) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "give exactly one of path= (unix socket), host=,port= "
                    "(TCP) or fd= (inherited socket)");
        return false;
    }
    if (host != NULL && port == NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "host= needs port=");
        return false;
    }
    if (path != NULL) {
        fd = open_unix(s, path, server, err);
    } else if (port != NULL) {
        fd = open_tcp(host ? host : "", port, server, err);
    } else {
        fd = use_inherited_fd(fdtext, server, err);
    }
    if (fd < 0) {
        return false;
    }
    s->is_server = server;
    if (!server) {
        socket_set_client(s, fd);
        return true;
    }
    s->listen_fd = fd;
    if (wait) {
        int c;
        cg_info_report("waiting for a connection on chardev '%s' "
                       "(server=on,wait=on)", chardev_id(chr));
        do {
            c = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
        } while (c < 0 && errno == EINTR);
        if (c < 0) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "accepting a connection failed: %s",
                        g_strerror(errno));
            return false;
        }
        socket_set_client(s, c);
    } else {
        socket_listen_arm(s);
    }
    return true;
}

/* Sends what the socket takes without blocking; write_lock held.
 * False when the peer is gone. */
static bool flush_locked(ChardevSocket *s)
{
    while (s->outbuf->len > 0) {
        ssize_t n = send(s->client_fd, s->outbuf->data, s->outbuf->len,
                         MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            return true;
        }
        if (n <= 0) {
            return false;
        }
        g_byte_array_remove_range(s->outbuf, 0, (guint)n);
    }
    return true;
}

static void drop_peer_locked(ChardevSocket *s)
{
    /* The reader sees the shutdown in the main loop and cleans up. */
    g_byte_array_set_size(s->outbuf, 0);
    shutdown(s->client_fd, SHUT_RDWR);
}

static gboolean socket_out_ready(gint fd, GIOCondition cond, gpointer opaque)
{
    ChardevSocket *s = opaque;
    gboolean again;

    g_mutex_lock(&s->parent_instance.write_lock);
    if (s->client_fd < 0) {
        again = FALSE;
    } else if (!flush_locked(s)) {
        drop_peer_locked(s);
        again = FALSE;
    } else {
        again = s->outbuf->len > 0;
    }
    if (!again && s->out_src != NULL) {
        g_source_unref(s->out_src);
        s->out_src = NULL;
    }
    g_mutex_unlock(&s->parent_instance.write_lock);
    return again ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static ssize_t socket_write(Chardev *chr, const uint8_t *buf, size_t len)
{
    ChardevSocket *s = (ChardevSocket *)chr;

    if (s->client_fd < 0) {
        return -1;
    }
    /* One large reply (a qtest read) may exceed the limit; a client that
     * has not taken the previous output may not. */
    if (s->outbuf->len > SOCKET_OUTBUF_MAX) {
        drop_peer_locked(s);
        return -1;
    }
    g_byte_array_append(s->outbuf, buf, (guint)len);
    if (!flush_locked(s)) {
        drop_peer_locked(s);
        return -1;
    }
    if (s->outbuf->len > 0 && s->out_src == NULL) {
        /* Attaching a source is thread-safe; vCPU threads write too. */
        s->out_src = g_unix_fd_source_new(s->client_fd, G_IO_OUT);
        g_source_set_callback(s->out_src, G_SOURCE_FUNC(socket_out_ready), s,
                              NULL);
        g_source_attach(s->out_src, NULL);
    }
    return (ssize_t)len;
}

static void socket_accept_input(Chardev *chr)
{
    char_reader_resume(&((ChardevSocket *)chr)->reader);
}

static void socket_disconnect(Chardev *chr)
{
    ChardevSocket *s = (ChardevSocket *)chr;

    g_mutex_lock(&chr->write_lock);
    if (s->client_fd >= 0) {
        shutdown(s->client_fd, SHUT_RDWR);
    }
    g_mutex_unlock(&chr->write_lock);
}

static void socket_finalize(GObject *obj)
{
    ChardevSocket *s = (ChardevSocket *)obj;

    char_reader_stop(&s->reader);
    if (s->out_src != NULL) {
        g_source_destroy(s->out_src);
        g_source_unref(s->out_src);
    }
    g_byte_array_unref(s->outbuf);
    if (s->listen_src != NULL) {
        g_source_destroy(s->listen_src);
    }
    if (s->client_fd >= 0) {
        close(s->client_fd);
    }
    if (s->listen_fd >= 0) {
        close(s->listen_fd);
    }
    if (s->unlink_path != NULL) {
        unlink(s->unlink_path);
        g_free(s->unlink_path);
    }
    G_OBJECT_CLASS(chardev_socket_parent_class)->finalize(obj);
}

static void chardev_socket_class_init(ChardevSocketClass *klass)
{
    G_OBJECT_CLASS(klass)->finalize = socket_finalize;
    klass->open = socket_open;
    klass->write = socket_write;
    klass->accept_input = socket_accept_input;
    klass->disconnect = socket_disconnect;
}

static void chardev_socket_init(ChardevSocket *s)
{
    s->listen_fd = -1;
    s->client_fd = -1;
    s->reader.fd = -1;
    s->outbuf = g_byte_array_new();
}
