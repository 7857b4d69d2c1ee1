/*
 * Status lines and headers. Every response says its length, so that a connection
 * can carry the next request after it.
 */
#include "lib/vsnprintf.h"
#include "apps/httpd/http_response.h"

const char *http_reason(int status)
{
    switch (status) {
    case 100:
        return "Continue";
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 411:
        return "Length Required";
    case 413:
        return "Content Too Large";
    case 414:
        return "URI Too Long";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 503:
        return "Service Unavailable";
    case 505:
        return "HTTP Version Not Supported";
    default:
        return "Unknown";
    }
}

size_t http_response_head(char *buf, size_t size, const struct http_response *r)
{
    int n = snprintf(buf, size,
                     "HTTP/1.1 %d %s\r\n"
                     "Server: mini-os httpd\r\n"
                     "%s%s%s"
                     "%s%s%s"
                     "Content-Length: %llu\r\n"
                     "Connection: %s\r\n"
                     "\r\n",
                     r->status, http_reason(r->status), r->content_type ? "Content-Type: " : "",
                     r->content_type ?: "", r->content_type ? "\r\n" : "",
                     r->allow ? "Allow: " : "", r->allow ?: "", r->allow ? "\r\n" : "",
                     (unsigned long long)r->content_length, r->keep_alive ? "keep-alive" : "close");

    return n > 0 && (size_t)n < size ? (size_t)n : 0;
}
