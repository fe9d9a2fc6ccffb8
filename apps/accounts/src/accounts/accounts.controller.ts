import { Controller, Get, Param, ParseUUIDPipe, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AccountView } from '@drone-delivery/contracts';
import { ServiceTokenGuard } from '@drone-delivery/http';
import { AccountsService } from './accounts.service';

@ApiTags('internal')
@ApiBearerAuth()
@UseGuards(ServiceTokenGuard)
@Controller('internal/v1/accounts')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @Get(':accountId')
  @ApiOperation({ summary: 'Look up an account: whether it exists and is active' })
  findAccount(@Param('accountId', ParseUUIDPipe) accountId: string): Promise<AccountView> {
    return this.accounts.findAccount(accountId);
  }
}
