using TheBot.Reference.Platform;

namespace TheBot.Reference.Ops;

/// <summary>
/// The nginx site of contract §9 (conf.d/default.conf, included inside nginx's http block).
/// nginx-insecure bends it the ways gixy and the checklist warn about; nginx-invalid breaks its syntax.
/// </summary>
public static class NginxSite
{
    private const string SecurityHeaders = """
        add_header Strict-Transport-Security "max-age=31536000; includeSubDomains; preload" always;
        add_header X-Frame-Options "DENY" always;
        add_header X-Content-Type-Options "nosniff" always;
        add_header Referrer-Policy "same-origin" always;
        """;

    public static string Render(FaultSet f)
    {
        var insecure = f.Has(Fault.NginxInsecure);
        var invalid = f.Has(Fault.NginxInvalid);
        var headers = SecurityHeaders;
        return $$"""
            # THE_BOT nginx site (checklist 3.1; contract §9)
            limit_req_zone $binary_remote_addr zone=login:10m rate=5r/m;
            {{(insecure ? "proxy_cache_path /var/cache/nginx/api levels=1:2 keys_zone=api_cache:10m max_size=1g inactive=10m;\n" : "")}}
            upstream backend_app {
                server backend:8000;
            }

            upstream frontend_app {
                server frontend:3000;
            }

            server {
                listen 80;
                server_name thebot.example.com www.thebot.example.com;
                server_tokens off;

                location = /health {
                    access_log off;
                    return 200 "ok\n";
                }

                location / {
                    return {{(insecure ? "302" : "301")}} https://$host$request_uri;
                }
            }

            server {
                listen 443 ssl{{(insecure ? "" : " http2")}};
                server_name thebot.example.com www.thebot.example.com;
                server_tokens {{(insecure ? "on" : "off")}};

                ssl_certificate /etc/letsencrypt/live/thebot.example.com/fullchain.pem;
                ssl_certificate_key /etc/letsencrypt/live/thebot.example.com/privkey.pem;
                ssl_protocols {{(insecure ? "TLSv1 TLSv1.1 TLSv1.2" : "TLSv1.2 TLSv1.3")}};
                ssl_prefer_server_ciphers off;
                ssl_session_cache shared:SSL:10m;
                client_max_body_size 50m{{(invalid ? "" : ";")}}

            {{headers}}

                location /api/auth/login/ {
                    limit_req zone=login burst=3 nodelay;
                    proxy_pass http://backend_app;
                    proxy_set_header Host $host;
                    proxy_set_header X-Real-IP $remote_addr;
                    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                    proxy_set_header X-Forwarded-Proto $scheme;
                }

                location /api/ {
                    proxy_pass http://backend_app;
                    proxy_set_header Host $host;
            {{(insecure ? "" : "            proxy_set_header X-Real-IP $remote_addr;\n")}}            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            {{(insecure ? "" : "            proxy_set_header X-Forwarded-Proto $scheme;\n")}}{{(insecure ? "            proxy_cache api_cache;\n            proxy_cache_key $scheme$host$request_uri;\n            proxy_cache_valid 200 5m;\n            add_header X-Cache-Status $upstream_cache_status;\n" : "")}}        }

                location /ws/ {
                    proxy_pass http://backend_app;
                    proxy_http_version 1.1;
            {{(insecure ? "" : "            proxy_set_header Upgrade $http_upgrade;\n            proxy_set_header Connection \"upgrade\";\n")}}            proxy_set_header Host $host;
                    proxy_read_timeout 3600s;
                    proxy_send_timeout 3600s;
                }

                location /static/ {
                    alias /app/staticfiles/;
                    expires 30d;
                    add_header Cache-Control "public, immutable";
            {{(insecure ? "" : Indent(headers) + "\n")}}        }

                location /media/ {
                    internal;
                    alias /app/media/;
                }

                location / {
                    proxy_pass http://frontend_app;
                    proxy_set_header Host $host;
                }
            }
            """ + "\n";
    }

    private static string Indent(string lines) => string.Join("\n", lines.Split('\n').Select(l => "    " + l));
}
