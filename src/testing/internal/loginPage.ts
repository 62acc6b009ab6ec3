/**
 * MISP's login page (rec#27, abridged): what a browser-like request gets at `/users/login`, and what
 * the `login-page` fault serves instead of JSON.
 *
 * @since 0.1.0
 */
export const loginPage = (baseUrl: string): string => `<!DOCTYPE html>
<html lang="en">
<head>
    <meta charset="utf-8">
    <meta http-equiv="X-UA-Compatible" content="IE=edge">
    <meta name="viewport" content="width=device-width">
    <link rel="shortcut icon" href="${baseUrl}/img/favicon.png">
    <title>Users - MISP</title>
    <link rel="stylesheet" href="${baseUrl}/css/bootstrap.css">
<link rel="stylesheet" href="${baseUrl}/css/main.css">
<script src="${baseUrl}/js/jquery.js"></script>
</head>
<body data-controller="users" data-action="login">
    <div id="container">
        <div id="flashContainer" style="padding-top:50px; !important;">
            <div id="main-view-container" class="container-fluid">
            </div>
        </div>
        <div>
            <form action="${new URL(baseUrl).pathname.replace(/\/$/, '')}/users/login" id="UserLoginForm" method="post" accept-charset="utf-8">
                <legend>Login</legend>
                <label for="UserEmail">Email</label>
                <input name="data[User][email]" autocomplete="off" autofocus="autofocus" type="text" id="UserEmail" required="required">
                <label for="UserPassword">Password</label>
                <input name="data[User][password]" autocomplete="off" type="password" id="UserPassword" required="required">
                <button class="btn btn-primary" type="submit">Login</button>
            </form>
        </div>
    </div>
</body>
</html>
`
