/*
 * A TCP socket's send queue, read from its pcb under the core lock (the socket
 * layer keeps no count of its own: lwip_send hands everything to tcp_write).
 */
#include "lwip/api.h"
#include "lwip/priv/sockets_priv.h"
#include "lwip/tcp.h"
#include "lwip/tcpip.h"
#include "net/socket_queue.h"

bool net_socket_send_queue_empty(int fd)
{
    struct lwip_sock *sock = lwip_socket_dbg_get_socket(fd);
    bool empty = false;

    LOCK_TCPIP_CORE();
    if (sock != NULL && sock->conn != NULL &&
        NETCONNTYPE_GROUP(netconn_type(sock->conn)) == NETCONN_TCP && sock->conn->pcb.tcp != NULL) {
        const struct tcp_pcb *pcb = sock->conn->pcb.tcp;

        empty = pcb->unsent == NULL && pcb->unacked == NULL;
    }
    UNLOCK_TCPIP_CORE();
    return empty;
}
