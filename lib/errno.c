/* Symbolic names for the error numbers in lib/errno.h, for log messages. */
#include "lib/errno.h"

const char *errno_name(int err)
{
    /* Widen before negating: -INT_MIN does not fit in an int. */
    long e = err < 0 ? -(long)err : err;

    switch (e) {
    case EPERM:
        return "EPERM";
    case ENOENT:
        return "ENOENT";
    case EIO:
        return "EIO";
    case E2BIG:
        return "E2BIG";
    case EAGAIN:
        return "EAGAIN";
    case ENOMEM:
        return "ENOMEM";
    case EACCES:
        return "EACCES";
    case EFAULT:
        return "EFAULT";
    case EBUSY:
        return "EBUSY";
    case EEXIST:
        return "EEXIST";
    case ENODEV:
        return "ENODEV";
    case EISDIR:
        return "EISDIR";
    case EINVAL:
        return "EINVAL";
    case ENOSPC:
        return "ENOSPC";
    case EROFS:
        return "EROFS";
    case EPIPE:
        return "EPIPE";
    case ERANGE:
        return "ERANGE";
    case ENOSYS:
        return "ENOSYS";
    case ENOTEMPTY:
        return "ENOTEMPTY";
    case EBADMSG:
        return "EBADMSG";
    case EOVERFLOW:
        return "EOVERFLOW";
    case ENOTSUP:
        return "ENOTSUP";
    case ECONNABORTED:
        return "ECONNABORTED";
    case ECONNRESET:
        return "ECONNRESET";
    case EISCONN:
        return "EISCONN";
    case ENOTCONN:
        return "ENOTCONN";
    case ETIMEDOUT:
        return "ETIMEDOUT";
    default:
        return "E?";
    }
}
